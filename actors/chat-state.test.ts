import { describe, expect, it } from "vitest";
import type { ChatDoc } from "../projections/chats.js";
import { given, queued, started, t } from "../test/support/given-chat.js";
import { type ChatRecord, chatState, evolve } from "./chat-state.js";

const interrupting: ChatRecord = {
  type: "chat.turn.interrupting",
  data: { chatId: "c1", turnId: "turn_m1", reason: "user" },
};
const interrupted: ChatRecord = {
  type: "chat.turn.interrupted",
  data: { chatId: "c1", turnId: "turn_m1", messageId: "m1", durationMs: 1, reason: "chat_deleted" },
};

describe("chat state: evolve", () => {
  it("given no open turn, interrupting changes nothing: the very same state comes back", () => {
    // The chats projection relies on it to leave no trace of an event that changed nothing.
    const idle = given(queued("m1"));
    expect(evolve(idle, interrupting, t(5))).toBe(idle);
  });

  it("given a deleted chat, its turn's end leaves it deleted, with no turn open", () => {
    const deleted = given(queued("m1"), started("m1"), {
      type: "chat.deleted",
      data: { chatId: "c1" },
    });
    expect(evolve(deleted, interrupted, t(5))).toMatchObject({
      status: "deleted",
      currentTurn: null,
      queue: [],
    });
  });

  it("chatState keeps only the chat's own state out of the document that extends it", () => {
    const state = given(queued("m1"));
    const doc = { ...state, createdAt: t(0), updatedAt: t(1), lastError: null } as ChatDoc;
    expect(chatState(doc)).toEqual(state);
  });
});
