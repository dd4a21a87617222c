import { describe, expect, it } from "vitest";
import { chatsProjection } from "../../../../projections/chats.js";
import { foldEvents } from "../../../../projections/fold.js";
import { recorded } from "../../../../test/support/recorded-events.js";
import type { NewEvent } from "../../../events/catalogue.js";
import { ChatList } from "./chat-list.js";

const created = (chatId: string): NewEvent => ({
  type: "chat.created",
  data: { chatId, provider: "claude", title: null, cwd: "/w", settings: {} },
});
const queued = (chatId: string, messageId: string): NewEvent => ({
  type: "chat.message.queued",
  data: { chatId, messageId, text: "hi", settings: {} },
});

// Positions 1..6: a, b, c created, a message for a and one for b, d created.
const log = recorded([
  created("a"),
  created("b"),
  created("c"),
  queued("a", "m1"),
  queued("b", "m2"),
  created("d"),
]);
/** The chats as a page read at `position` would list them. */
const pageAt = (position: number, chatIds: string[]) => {
  const docs = foldEvents(
    chatsProjection,
    log.filter((e) => e.position <= position),
  );
  return {
    position,
    chats: chatIds.map((id) => docs.get(id)?.data).filter((d) => d !== undefined),
  };
};

describe("the inspector's chat list, loaded a page at a time", () => {
  it("given pages read at different positions, each chat folds only the events its page missed", () => {
    const list = new ChatList();
    // The first page was read before the messages, the second after both.
    list.load([pageAt(3, ["a"]), pageAt(5, ["b", "c"])]);
    list.apply(log);
    const messages = Object.fromEntries(list.list().map((c) => [c.chatId, c.counters.messages]));
    expect(messages).toEqual({ a: 1, b: 1, c: 0, d: 0 });
  });

  it("a chat no page listed, created before the last page was read, was deleted by then: it stays out", () => {
    const list = new ChatList();
    list.load([pageAt(6, ["a", "b", "d"])]);
    list.apply(log);
    expect(
      list
        .list()
        .map((c) => c.chatId)
        .sort(),
    ).toEqual(["a", "b", "d"]);
  });
});
