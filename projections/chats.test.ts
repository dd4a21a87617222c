import { describe, expect, it } from "vitest";
import type { NewEvent } from "../src/events/catalogue.js";
import { approvalRequested, approvalResolved } from "../test/support/approval-records.js";
import { recorded } from "../test/support/recorded-events.js";
import { type ChatDoc, chatsProjection } from "./chats.js";
import { foldEvents } from "./fold.js";

const created: NewEvent = {
  type: "chat.created",
  data: { chatId: "c1", provider: "claude", title: "t", cwd: "/w", settings: { model: "m" } },
};
const queued = (messageId: string, text = "hi"): NewEvent => ({
  type: "chat.message.queued",
  data: { chatId: "c1", messageId, text, settings: {} },
});
const started = (messageId: string, turnId = `t-${messageId}`): NewEvent => ({
  type: "chat.turn.started",
  data: { chatId: "c1", turnId, messageId, text: "hi", settings: {}, resumeSessionId: null },
});

function chat(events: NewEvent[]): ChatDoc | undefined {
  return foldEvents(chatsProjection, recorded(events)).get("c1")?.data;
}

describe("chats projection", () => {
  it("given chat.created, the chat is idle with its settings and zero counters", () => {
    const doc = chat([created]);
    expect(doc).toMatchObject({
      chatId: "c1",
      provider: "claude",
      status: "idle",
      settings: { model: "m" },
    });
    expect(doc?.counters.messages).toBe(0);
    expect(doc?.createdAt).toBe("2026-01-01T00:00:01.000Z");
  });

  it("given queued messages, they wait in order with state queued", () => {
    const doc = chat([created, queued("m1"), queued("m2")]);
    expect(doc?.queue.map((m) => m.messageId)).toEqual(["m1", "m2"]);
    expect(doc?.counters.messages).toBe(2);
  });

  it("when a turn starts, its message leaves the queue and the chat runs", () => {
    const doc = chat([created, queued("m1"), queued("m2"), started("m1")]);
    expect(doc?.status).toBe("running");
    expect(doc?.currentTurn).toMatchObject({ turnId: "t-m1", messageId: "m1" });
    expect(doc?.queue.map((m) => m.messageId)).toEqual(["m2"]);
  });

  it("a pending approval shows in the chat (awaiting_approval); its resolution runs it again", () => {
    const requested = approvalRequested("a1", "t-m1");
    const resolved = approvalResolved("a1", "t-m1");
    const waiting = chat([created, queued("m1"), started("m1"), requested]);
    expect(waiting?.status).toBe("awaiting_approval");
    expect(waiting?.pendingApprovals.map((a) => a.approvalId)).toEqual(["a1"]);
    const answered = chat([created, queued("m1"), started("m1"), requested, resolved]);
    expect(answered).toMatchObject({ status: "running", pendingApprovals: [] });
  });

  it("when a turn completes, usage and cost add up and the chat is idle", () => {
    const usage = {
      inputTokens: 10,
      outputTokens: 5,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    };
    const doc = chat([
      created,
      queued("m1"),
      started("m1"),
      {
        type: "chat.turn.completed",
        data: { chatId: "c1", turnId: "t-m1", messageId: "m1", durationMs: 3, usage, costUsd: 0.5 },
      },
      queued("m2"),
      started("m2"),
      {
        type: "chat.turn.completed",
        data: {
          chatId: "c1",
          turnId: "t-m2",
          messageId: "m2",
          durationMs: 3,
          usage,
          costUsd: 0.25,
        },
      },
    ]);
    expect(doc?.status).toBe("idle");
    expect(doc?.currentTurn).toBeNull();
    expect(doc?.counters).toMatchObject({
      turns: 2,
      completed: 2,
      inputTokens: 20,
      outputTokens: 10,
      costUsd: 0.75,
    });
  });

  it("when a turn fails, the error is kept as lastError", () => {
    const error = { code: "provider_failed", message: "boom" };
    const doc = chat([
      created,
      queued("m1"),
      started("m1"),
      {
        type: "chat.turn.failed",
        data: { chatId: "c1", turnId: "t-m1", messageId: "m1", durationMs: 1, error },
      },
    ]);
    expect(doc?.lastError).toEqual(error);
    expect(doc?.counters.failed).toBe(1);
  });

  it("interrupting then interrupted: the status passes through interrupting back to idle", () => {
    const interrupting = chat([
      created,
      queued("m1"),
      started("m1"),
      { type: "chat.turn.interrupting", data: { chatId: "c1", turnId: "t-m1", reason: "user" } },
    ]);
    expect(interrupting?.status).toBe("interrupting");
    const doc = chat([
      created,
      queued("m1"),
      started("m1"),
      { type: "chat.turn.interrupting", data: { chatId: "c1", turnId: "t-m1", reason: "user" } },
      {
        type: "chat.turn.interrupted",
        data: { chatId: "c1", turnId: "t-m1", messageId: "m1", durationMs: 1, reason: "user" },
      },
    ]);
    expect(doc?.status).toBe("idle");
    expect(doc?.counters.interrupted).toBe(1);
  });

  it("the provider session id is kept for resume", () => {
    const doc = chat([
      created,
      queued("m1"),
      started("m1"),
      { type: "chat.session.updated", data: { chatId: "c1", turnId: "t-m1", sessionId: "s-1" } },
    ]);
    expect(doc?.sessionId).toBe("s-1");
  });

  it("when the chat is deleted, its queue empties and the chat is marked deleted", () => {
    const doc = chat([
      created,
      queued("m1"),
      {
        type: "chat.message.dropped",
        data: { chatId: "c1", messageId: "m1", reason: "chat_deleted" },
      },
      { type: "chat.deleted", data: { chatId: "c1" } },
    ]);
    expect(doc?.status).toBe("deleted");
    expect(doc?.queue).toEqual([]);
  });

  it("events of an unknown chat and deltas touch nothing", () => {
    const docs = foldEvents(chatsProjection, recorded([queued("m1")]));
    expect(docs.size).toBe(0);
    const withDelta = foldEvents(
      chatsProjection,
      recorded([
        created,
        {
          type: "chat.item.delta",
          data: { chatId: "c1", turnId: "t", itemId: "i", kind: "assistant_text", text: "x" },
        },
      ]),
    );
    expect(withDelta.get("c1")?.lastPosition).toBe(1);
  });
});
