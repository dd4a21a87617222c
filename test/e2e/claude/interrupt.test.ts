import { performance } from "node:perf_hooks";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { text, toolUse } from "../../fakes/anthropic/index.js";
import { waitUntil } from "../../support/wait-until.js";
import { type ClaudeEngine, type SentMessage, startClaudeEngine } from "./claude-engine.js";
import { expectNextTurnWorks } from "./next-turn.js";

/** Some process's full command line matches `pattern` (a regular expression, as `pgrep -f` reads it). */
async function running(pattern: string): Promise<boolean> {
  const found = await execa("pgrep", ["-f", pattern], { reject: false, timeout: 5_000 });
  return found.exitCode === 0;
}

/** POST /interrupt on a running turn: the turn ends as interrupted within 2 s, seen on SSE. */
describe("claude through the engine: interrupts", () => {
  let e: ClaudeEngine;

  beforeAll(async () => {
    e = await startClaudeEngine();
  });
  afterAll(() => e.close());

  /** Interrupts the running turn; returns the ms from the POST to the SSE event. */
  async function interruptAndTime(chatId: string, sent: SentMessage): Promise<number> {
    const postedAt = performance.now();
    const answer = await e.client.interrupt(chatId);
    expect(answer.interrupting).toBe(true);
    const end = await e.turnEnd(sent.messageId, 10_000);
    expect(end.type).toBe("chat.turn.interrupted");
    expect(end.data).toMatchObject({ reason: "user" });
    return end.arrivedAt - postedAt;
  }

  test("while text streams: interrupted within 2 s of the POST, then the next message works", async () => {
    const chatId = await e.chat("interrupt-text");
    e.fake.enqueue(text("word ".repeat(300), { chunks: 150, delayMs: 100 }));
    const sent = await e.send(chatId, "talk slowly");
    await e.feed.waitFor("chat.item.delta", (event) => event.data.chatId === chatId);
    expect(await interruptAndTime(chatId, sent)).toBeLessThan(2_000);
    const { chat } = await e.client.getChat(chatId);
    expect(chat.messages.map((m) => m.state)).toEqual(["interrupted"]);
    await expectNextTurnWorks(e, chatId);
  });

  test("while a long Bash command runs: interrupted within 2 s of the POST, then the next message works", async () => {
    const chatId = await e.chat("interrupt-tool", { permissionMode: "bypassPermissions" });
    const { chat } = await e.client.getChat(chatId);
    // The CLI refuses a plain `sleep 30`; this waits 30 s just the same, on a file of this test.
    const waiting = `tail -f ${chat.cwd}/wait.log`;
    e.fake.enqueue(
      toolUse("Bash", {
        command: `touch wait.log && timeout 30 ${waiting}`,
        description: "wait",
      }),
    );
    const sent = await e.send(chatId, "wait a long time");
    // `tail` itself, not the shell whose command line names it: an interrupt while the shell is
    // still starting `timeout` (a process group of its own) can miss it (docs/claude.md#interrupt).
    await waitUntil(
      async () => (await running(`^${waiting}`)) === true,
      "the command runs",
      60_000,
    );
    expect(await interruptAndTime(chatId, sent)).toBeLessThan(2_000);
    await waitUntil(async () => (await running(waiting)) === false, "it stops", 10_000);
    await expectNextTurnWorks(e, chatId);
  });
});
