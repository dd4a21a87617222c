import { performance } from "node:perf_hooks";
import { execa } from "execa";
import { afterEach, describe, expect, test } from "vitest";
import { shell, text } from "../../fakes/openai/index.js";
import { type CodexEngine, startCodexEngine } from "./codex-engine.js";

let e: CodexEngine | undefined;
afterEach(async () => {
  await e?.close();
  e = undefined;
});

/** POST /interrupt, then how long until `chat.turn.interrupted` arrived over SSE. */
async function interruptAndTime(engine: CodexEngine, chatId: string, messageId: string) {
  const interrupted = engine.feed.waitFor(
    "chat.turn.interrupted",
    (ev) => ev.data.messageId === messageId,
  );
  const posted = performance.now();
  expect(await engine.client.interrupt(chatId)).toMatchObject({ interrupting: true });
  const event = await interrupted;
  return { event, ms: event.arrivedAt - posted };
}

describe("codex chats through the engine: interrupt", () => {
  test("during a long command: interrupted within 2 s, the command is killed, the next turn works", async () => {
    e = await startCodexEngine();
    await e.createChat("i1");
    // A duration no other process uses, to find this very command.
    const sleep = `sleep 30.${process.pid}${Date.now() % 1000}`;
    e.fake.script(shell(sleep));
    const { messageId, ended } = await e.send("i1", "run something long");
    const turnId = await e.turnIdOf(messageId);
    await e.feed.waitFor(
      "chat.item.added",
      (ev) =>
        ev.data.turnId === turnId &&
        ev.data.item.type === "command" &&
        ev.data.item.status === "in_progress",
    );

    const { event, ms } = await interruptAndTime(e, "i1", messageId);
    expect(ms).toBeLessThan(2_000);
    expect(event.data.reason).toBe("user");
    expect(await ended).toBe(event);
    const sleeping = async () =>
      (await execa("ps", ["-eo", "args"], { timeout: 10_000 })).stdout
        .split("\n")
        .filter((line) => line.startsWith(sleep)).length;
    await expect.poll(sleeping, { timeout: 5_000 }).toBe(0);

    e.fake.script(text("still here"));
    expect((await e.turn("i1", "are you there?")).type).toBe("chat.turn.completed");
    expect((await e.client.history("i1")).items.at(-1)?.item).toEqual({
      type: "assistant_text",
      text: "still here",
    });
  });

  test("while text streams: interrupted within 2 s, the next turn works", async () => {
    e = await startCodexEngine();
    await e.createChat("i2");
    e.fake.script(text("x".repeat(200), { chunks: 200, chunkDelayMs: 100 }));
    const { messageId } = await e.send("i2", "stream a lot");
    const turnId = await e.turnIdOf(messageId);
    await e.feed.waitFor("chat.item.delta", (ev) => ev.data.turnId === turnId);

    const { ms } = await interruptAndTime(e, "i2", messageId);
    expect(ms).toBeLessThan(2_000);

    e.fake.script(text("short"));
    expect((await e.turn("i2", "again")).type).toBe("chat.turn.completed");
    const { chat } = await e.client.getChat("i2");
    expect(chat.messages.map((m) => m.state)).toEqual(["interrupted", "completed"]);
    expect((await e.client.history("i2")).items.at(-1)?.item).toEqual({
      type: "assistant_text",
      text: "short",
    });
  });
});
