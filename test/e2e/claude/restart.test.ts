import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { conversationTexts, lastUserMessage, text, userText } from "../../fakes/anthropic/index.js";
import { processAlive } from "../../support/processes.js";
import { waitUntil } from "../../support/wait-until.js";
import { type ClaudeEngine, startClaudeEngine } from "./claude-engine.js";

/**
 * An engine restart between turns: the agent's session id lives in the event log, so the next
 * turn resumes the same conversation in a new CLI process.
 */
describe("claude through the engine: resume after a restart", () => {
  let e: ClaudeEngine;

  beforeAll(async () => {
    e = await startClaudeEngine();
  });
  afterAll(() => e.close());

  test.each(["SIGTERM", "SIGKILL"] as const)(
    "two turns, the engine stopped with %s and started again, a third turn resumes the session",
    async (signal) => {
      const chatId = await e.chat(`resume-${signal.toLowerCase()}`);
      const first = `remember alpha-${signal}`;
      const second = `remember beta-${signal}`;
      const third = `what did I ask you to remember (${signal})?`;
      expect((await e.turn(chatId, first)).type).toBe("chat.turn.completed");
      expect((await e.turn(chatId, second)).type).toBe("chat.turn.completed");
      const before = (await e.client.getChat(chatId)).chat;
      expect(before.sessionId).toMatch(/^[0-9a-f-]{36}$/);

      const [cli] = await e.claudePids();
      expect(cli).toBeTypeOf("number");

      await e.restart(signal);
      // The stopped engine's CLI does not outlive it, even after a SIGKILL.
      await waitUntil(() => !processAlive(cli as number), `the old claude process ${cli} exits`);

      e.fake.enqueue(text(`I remember both (${signal}).`));
      const end = await e.turn(chatId, third);
      expect(end.type).toBe("chat.turn.completed");
      const after = (await e.client.getChat(chatId)).chat;
      expect(after.sessionId).toBe(before.sessionId);
      expect(after.messages.map((m) => m.state)).toEqual(["completed", "completed", "completed"]);

      // The model was asked the third question with the two earlier turns in the conversation.
      const asked = e.fake.requests.find(
        (r) => r.body.stream === true && userText(lastUserMessage(r)).includes(third),
      );
      expect(asked).toBeDefined();
      const conversation = asked ? conversationTexts(asked).join("\n") : "";
      expect(conversation).toContain(first);
      expect(conversation).toContain(second);
      expect(asked?.body.messages.filter((m) => m.role === "assistant")).toHaveLength(2);

      const history = await e.items(chatId);
      expect(history.at(-1)).toEqual({
        type: "assistant_text",
        text: `I remember both (${signal}).`,
      });
    },
  );
});
