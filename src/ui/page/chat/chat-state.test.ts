import { describe, expect, it } from "vitest";
import type { ChatDoc } from "../../../../projections/chats.js";
import type { EngineEvent } from "../../../events/catalogue.js";
import { ChatState, type Entry } from "./chat-state.js";

const at = "2026-01-01T00:00:00.000Z";
const event = (position: number, type: string, data: Record<string, unknown>) =>
  ({
    position,
    eventId: `e${position}`,
    stream: "chat:c1",
    streamVersion: position,
    schemaVersion: 1,
    recordedAt: at,
    type,
    data: { chatId: "c1", ...data },
  }) as EngineEvent;

const chat: ChatDoc = {
  chatId: "c1",
  provider: "claude",
  title: null,
  cwd: "/w",
  settings: {},
  status: "running",
  createdAt: at,
  updatedAt: at,
  sessionId: null,
  currentTurn: { turnId: "t1", messageId: "m1", startedAt: at, settings: {} },
  queue: [],
  pendingApprovals: [],
  lastError: null,
  counters: {
    messages: 1,
    turns: 1,
    completed: 0,
    failed: 0,
    interrupted: 0,
    items: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
  },
};
const started = {
  messageId: "m1",
  state: "started" as const,
  turnId: "t1",
  queuedAt: at,
  startedAt: at,
  endedAt: null,
  error: null,
};
const entry = (itemId: string, position: number, text: string, status: Entry["status"]): Entry => ({
  position,
  itemId,
  turnId: "t1",
  status,
  item: { type: "assistant_text", text },
  recordedAt: at,
});

describe("ChatState", () => {
  it("given history pages taken at different positions, applies each event once", () => {
    const state = new ChatState("c1");
    state.loadChat({ position: 10, chat: { ...chat, messages: [started] } });
    // Page 1 at position 11 already holds the first delta (10 < 11); page 2 at 12 a new item.
    state.loadHistory({ position: 11, items: [entry("i1", 11, "Hel", "streaming")] });
    state.loadHistory({ position: 12, items: [entry("i2", 12, "other", "streaming")] });
    state.apply([
      event(11, "chat.item.delta", {
        turnId: "t1",
        itemId: "i1",
        kind: "assistant_text",
        text: "Hel",
      }),
      event(12, "chat.item.delta", {
        turnId: "t1",
        itemId: "i2",
        kind: "assistant_text",
        text: "other",
      }),
      event(13, "chat.item.delta", {
        turnId: "t1",
        itemId: "i1",
        kind: "assistant_text",
        text: "lo",
      }),
    ]);
    expect(state.entries.map((e) => [e.itemId, "text" in e.item && e.item.text])).toEqual([
      ["i1", "Hello"],
      ["i2", "other"],
    ]);
  });

  it("when the turn ends, the item is final and the message completed; the next turn's message joins the history", () => {
    const state = new ChatState("c1");
    state.loadChat({ position: 10, chat: { ...chat, messages: [started] } });
    state.loadHistory({ position: 10, items: [entry("i1", 9, "Hel", "streaming")] });
    const changed = state.apply([
      event(11, "chat.item.added", {
        turnId: "t1",
        itemId: "i1",
        item: { type: "assistant_text", text: "Hello" },
      }),
      event(12, "chat.turn.completed", {
        turnId: "t1",
        messageId: "m1",
        durationMs: 5,
        usage: null,
        costUsd: null,
      }),
      event(13, "chat.turn.started", {
        turnId: "t2",
        messageId: "m2",
        text: "next",
        settings: {},
        resumeSessionId: null,
      }),
    ]);
    expect(changed).toBe(true);
    expect(state.entries[0]).toMatchObject({
      status: "final",
      position: 9,
      item: { text: "Hello" },
    });
    expect(state.entries[1]).toMatchObject({
      itemId: "m2",
      position: 13,
      item: { type: "user_message" },
    });
    expect(state.messageState("m1")?.state).toBe("completed");
    expect(state.chat?.status).toBe("running");
    expect(state.chat?.counters.completed).toBe(1);
  });

  it("ignores other chats' events and those its snapshot already reflects", () => {
    const state = new ChatState("c1");
    state.loadChat({ position: 10, chat: { ...chat, messages: [started] } });
    const other = {
      ...event(11, "chat.turn.completed", {}),
      data: { chatId: "c2" },
    } as EngineEvent;
    const old = event(9, "chat.turn.failed", {
      turnId: "t1",
      messageId: "m1",
      durationMs: 1,
      error: { code: "x", message: "y" },
    });
    expect(state.apply([other, old])).toBe(false);
    expect(state.chat?.status).toBe("running");
    expect(state.messageState("m1")?.state).toBe("started");
  });
});
