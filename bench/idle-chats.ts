import { benchScript } from "./bench-process.js";
import type { BenchRow } from "./bench-row.js";

const CHATS = 1_000;

/** Memory an idle chat costs: RSS and heap growth per chat after creating 1,000 in an engine. */
export async function benchIdleChats(): Promise<BenchRow[]> {
  const { stdout } = await benchScript("idle-chats-child", [String(CHATS)], ["--expose-gc"]);
  const result = JSON.parse(stdout) as { chats: number; rssBytes: number; heapBytes: number };
  if (result.chats < CHATS) throw new Error(`only ${result.chats} chats were listed`);
  return [
    {
      name: "memory.idle_chat.heap",
      value: result.heapBytes / CHATS / 1024,
      unit: "KiB/chat",
      note: `heap after GC, ${CHATS} chats`,
    },
    { name: "memory.idle_chat.rss", value: result.rssBytes / CHATS / 1024, unit: "KiB/chat" },
  ];
}
