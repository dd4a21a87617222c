import { describe, expect, it } from "vitest";
import type { NewEvent } from "../src/events/catalogue.js";
import { recorded } from "../test/support/recorded-events.js";
import { chatMessagesProjection, type MessageStatus } from "./chat-messages.js";
import { foldEvents } from "./fold.js";

const queued = (messageId: string, chatId = "c1"): NewEvent => ({
  type: "chat.message.queued",
  data: { chatId, messageId, text: "hi", settings: {} },
});
const started = (messageId: string): NewEvent => ({
  type: "chat.turn.started",
  data: {
    chatId: "c1",
    turnId: `t-${messageId}`,
    messageId,
    text: "hi",
    settings: {},
    resumeSessionId: null,
  },
});
const base = (messageId: string) => ({
  chatId: "c1",
  turnId: `t-${messageId}`,
  messageId,
  durationMs: 1,
});

function states(events: NewEvent[]): Record<string, Partial<MessageStatus>> {
  const docs = foldEvents(chatMessagesProjection, recorded(events));
  return Object.fromEntries([...docs.values()].map((d) => [d.data.messageId, d.data]));
}

describe("chat messages projection", () => {
  it("given queued messages, each is queued in the group of its chat", () => {
    const docs = foldEvents(
      chatMessagesProjection,
      recorded([queued("m1"), queued("m2"), queued("x", "c2")]),
    );
    expect([...docs.values()].map((d) => [d.id, d.group, d.data.state])).toEqual([
      ["c1/m1", "c1", "queued"],
      ["c1/m2", "c1", "queued"],
      ["c2/x", "c2", "queued"],
    ]);
  });

  it("a started message carries its turn and start time", () => {
    expect(states([queued("m1"), started("m1")]).m1).toMatchObject({
      state: "started",
      turnId: "t-m1",
      startedAt: "2026-01-01T00:00:02.000Z",
    });
  });

  it("each way a turn ends is the message's final state, with the error when it failed", () => {
    const error = { code: "boom", message: "it broke" };
    const result = states([
      queued("a"),
      queued("b"),
      queued("c"),
      queued("d"),
      started("a"),
      { type: "chat.turn.completed", data: { ...base("a"), usage: null, costUsd: null } },
      started("b"),
      { type: "chat.turn.failed", data: { ...base("b"), error } },
      started("c"),
      { type: "chat.turn.interrupted", data: { ...base("c"), reason: "user" } },
      {
        type: "chat.message.dropped",
        data: { chatId: "c1", messageId: "d", reason: "chat_deleted" },
      },
    ]);
    expect(result.a).toMatchObject({
      state: "completed",
      error: null,
      endedAt: "2026-01-01T00:00:06.000Z",
    });
    expect(result.b).toMatchObject({ state: "failed", error });
    expect(result.c).toMatchObject({ state: "interrupted" });
    expect(result.d).toMatchObject({ state: "dropped", startedAt: null });
  });

  it("deleting a chat drops its messages' documents, not other chats'", () => {
    const docs = foldEvents(
      chatMessagesProjection,
      recorded([queued("m1"), queued("x", "c2"), { type: "chat.deleted", data: { chatId: "c1" } }]),
    );
    expect([...docs.keys()]).toEqual(["c2/x"]);
  });
});
