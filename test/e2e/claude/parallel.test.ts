import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { lastUserMessage, text, userText } from "../../fakes/anthropic/index.js";
import { type ClaudeEngine, startClaudeEngine } from "./claude-engine.js";

const CHATS = [0, 1, 2, 3, 4];

describe("claude through the engine: chats side by side", () => {
  let e: ClaudeEngine;

  beforeAll(async () => {
    e = await startClaudeEngine();
  });
  afterAll(() => e.close());

  test("5 Claude chats running at once each complete with their own answer", async () => {
    e.fake.setScript((request) => {
      if (request.body.stream !== true) return undefined;
      const asked = /parallel-question-(\d)/.exec(userText(lastUserMessage(request)))?.[1];
      return asked ? text(`answer ${asked}`, { chunks: 5, delayMs: 100 }) : undefined;
    });
    try {
      const chatIds = await Promise.all(CHATS.map((n) => e.chat(`parallel-${n}`)));
      const sent = await Promise.all(
        chatIds.map((chatId, n) => e.send(chatId, `parallel-question-${n}`)),
      );
      const ends = await Promise.all(sent.map((s) => e.turnEnd(s.messageId)));
      // The engine ran the five turns side by side: every one started before the first ended.
      const types = e.feed.events.map((event) => event.type);
      const started = types.filter((t) => t === "chat.turn.started").length;
      const firstEnd = types.indexOf("chat.turn.completed");
      expect(started).toBe(CHATS.length);
      expect(types.slice(0, firstEnd).filter((t) => t === "chat.turn.started")).toHaveLength(
        CHATS.length,
      );
      expect(ends.map((end) => end.type)).toEqual(CHATS.map(() => "chat.turn.completed"));
      for (const [n, chatId] of chatIds.entries()) {
        const history = await e.items(chatId);
        expect(history).toEqual([
          { type: "user_message", text: `parallel-question-${n}` },
          { type: "assistant_text", text: `answer ${n}` },
        ]);
      }
      const sessions = await Promise.all(
        chatIds.map(async (chatId) => (await e.client.getChat(chatId)).chat.sessionId),
      );
      expect(new Set(sessions).size).toBe(CHATS.length);
      // Each chat has its own CLI process, kept warm for its next turn.
      expect(await e.claudePids()).toHaveLength(CHATS.length);
    } finally {
      e.fake.setScript(undefined);
    }
  });
});
