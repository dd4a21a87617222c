import { startHarness } from "../test/support/engine-harness.js";

/**
 * Run with --expose-gc: an engine in this process, measured after a full GC before and after
 * creating `count` chats (each an idle chat: its read model; its actor starts with its first command). Prints {"rssBytes", "heapBytes"} deltas.
 */
const count = Number(process.argv[2] ?? "1000");
const gc = globalThis.gc;
if (!gc) throw new Error("run with --expose-gc");

function measure() {
  gc?.();
  gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

const harness = await startHarness();
for (let i = 0; i < 20; i++)
  await harness.client.createChat({ provider: "claude", chatId: `warm-${i}` });
const before = measure();
for (let i = 0; i < count; i++) {
  await harness.client.createChat({ provider: "claude", chatId: `idle-${i}`, title: `Chat ${i}` });
}
await new Promise((resolve) => setTimeout(resolve, 500)); // export files, timers
const after = measure();
const chats = (await harness.client.allChats()).length;
process.stdout.write(
  `${JSON.stringify({ chats, rssBytes: after.rss - before.rss, heapBytes: after.heapUsed - before.heapUsed })}\n`,
);
await harness.stop();
