import { expect } from "vitest";
import { text } from "../../fakes/anthropic/index.js";
import type { ClaudeEngine } from "./claude-engine.js";

/** After a failed or interrupted turn: the chat takes the next message and answers it. */
export async function expectNextTurnWorks(e: ClaudeEngine, chatId: string): Promise<void> {
  e.fake.enqueue(text("Back in business."));
  expect((await e.turn(chatId, "are you still there?")).type).toBe("chat.turn.completed");
  expect((await e.items(chatId)).at(-1)).toEqual({
    type: "assistant_text",
    text: "Back in business.",
  });
}
