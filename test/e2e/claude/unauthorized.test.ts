import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { unauthorized } from "../../fakes/anthropic/index.js";
import { type ClaudeEngine, startClaudeEngine } from "./claude-engine.js";
import { expectNextTurnWorks } from "./next-turn.js";

describe("claude through the engine: the model API refuses the key", () => {
  let e: ClaudeEngine;

  beforeAll(async () => {
    e = await startClaudeEngine();
  });
  afterAll(() => e.close());

  test("a 401: the turn fails with a clear message in the message state, then a good turn", async () => {
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
    await expectNextTurnWorks(e, chatId);
  });
});
