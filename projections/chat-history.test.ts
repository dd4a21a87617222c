import { describe, expect, it } from "vitest";
import type { NewEvent } from "../src/events/catalogue.js";
import { recorded } from "../test/support/recorded-events.js";
import { chatHistoryProjection, type HistoryEntry } from "./chat-history.js";
import { foldEvents } from "./fold.js";

const turn: NewEvent = {
  type: "chat.turn.started",
  data: {
    chatId: "c1",
    turnId: "t1",
    messageId: "m1",
    text: "do it",
    settings: {},
    resumeSessionId: null,
  },
};
const delta = (text: string, itemId = "i1"): NewEvent => ({
  type: "chat.item.delta",
  data: { chatId: "c1", turnId: "t1", itemId, kind: "assistant_text", text },
});
const added = (itemId: string, text: string): NewEvent => ({
  type: "chat.item.added",
  data: { chatId: "c1", turnId: "t1", itemId, item: { type: "assistant_text", text } },
});

function history(events: NewEvent[]): HistoryEntry[] {
  return [...foldEvents(chatHistoryProjection, recorded(events)).values()]
    .sort((a, b) => a.firstPosition - b.firstPosition)
    .map((d) => d.data);
}

describe("chat history projection", () => {
  it("given a started turn, the user's message is the first item", () => {
    expect(history([turn])).toEqual([
      {
        itemId: "m1",
        turnId: "t1",
        status: "final",
        item: { type: "user_message", text: "do it" },
        recordedAt: "2026-01-01T00:00:01.000Z",
      },
    ]);
  });

  it("deltas build a streaming item that the final item replaces", () => {
    const streaming = history([turn, delta("Hel"), delta("lo")]);
    expect(streaming[1]).toMatchObject({
      status: "streaming",
      item: { type: "assistant_text", text: "Hello" },
    });
    const final = history([turn, delta("Hel"), delta("lo"), added("i1", "Hello!")]);
    expect(final[1]).toMatchObject({
      status: "final",
      item: { type: "assistant_text", text: "Hello!" },
    });
    expect(final).toHaveLength(2);
  });

  it("a late delta does not reopen a final item", () => {
    const entries = history([turn, added("i1", "done"), delta("late")]);
    expect(entries[1]).toMatchObject({ status: "final", item: { text: "done" } });
  });

  it("items keep the order in which they first appeared", () => {
    const entries = history([
      turn,
      delta("a", "i1"),
      {
        type: "chat.item.added",
        data: {
          chatId: "c1",
          turnId: "t1",
          itemId: "i2",
          item: { type: "tool_call", callId: "x", name: "Bash", input: { command: "ls" } },
        },
      },
      added("i1", "a!"),
    ]);
    expect(entries.map((e) => e.itemId)).toEqual(["m1", "i1", "i2"]);
  });

  it("deleting the chat drops all of its items and no other chat's", () => {
    const other: NewEvent = {
      type: "chat.turn.started",
      data: {
        chatId: "c2",
        turnId: "t9",
        messageId: "m9",
        text: "x",
        settings: {},
        resumeSessionId: null,
      },
    };
    const docs = foldEvents(
      chatHistoryProjection,
      recorded([turn, added("i1", "a"), other, { type: "chat.deleted", data: { chatId: "c1" } }]),
    );
    expect([...docs.keys()]).toEqual(["c2/m9"]);
  });
});
