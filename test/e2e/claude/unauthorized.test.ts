import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { unauthorized } from "../../fakes/anthropic/index.js";
import { waitUntil } from "../../support/wait-until.js";
import { type ClaudeEngine, startClaudeEngine } from "./claude-engine.js";
import { expectNextTurnWorks } from "./next-turn.js";

describe("claude through the engine: the model API refuses the key", () => {
  let e: ClaudeEngine;

  beforeAll(async () => {
    e = await startClaudeEngine();
  });
  afterAll(() => e.close());

  test("a 401: the turn fails with a clear message in the message state, its claude exits, then a good turn", async () => {
    const chatId = await e.chat("unauthorized");
    e.fake.setScript(() => unauthorized());
    try {
      expect((await e.turn(chatId, "hello")).type).toBe("chat.turn.failed");
    } finally {
      e.fake.setScript(undefined);
    }
    const { chat } = await e.client.getChat(chatId);
    const [message] = chat.messages;
    expect(message).toMatchObject({ state: "failed", error: { code: "provider_auth_failed" } });
    expect(message?.error?.message).toContain("401");
    expect(chat.lastError).toEqual(message?.error);
    expect(JSON.stringify(chat)).not.toContain(e.claude.env.ANTHROPIC_API_KEY);
    // The refused process cannot run a turn: it exits rather than wait for the idle stop.
    await waitUntil(async () => (await e.claudePids()).length === 0, "the refused claude exits");
    await expectNextTurnWorks(e, chatId);
    // The new process carries on the chat's session: no "session not found" notice.
    expect(await e.items(chatId)).toEqual([
      { type: "user_message", text: "hello" },
      { type: "user_message", text: "are you still there?" },
      { type: "assistant_text", text: "Back in business." },
    ]);
  });
});
