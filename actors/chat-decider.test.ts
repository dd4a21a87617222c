import { describe, expect, it } from "vitest";
import { context, created, given, queued, started, t } from "../test/support/given-chat.js";
import { type ChatCommand, decide } from "./chat-decider.js";
import { type ChatRecord, type ChatState, evolve } from "./chat-state.js";

const when = (state: ChatState | null, command: ChatCommand, ctx = context) =>
  decide(state, command, ctx);
const message = (messageId: string, text: string, sentText: string | null = null): ChatCommand => ({
  type: "MESSAGE",
  message: { messageId, text, settings: {} },
  sentText,
});

describe("chat decider: create", () => {
  it("given no chat, CREATE records chat.created", () => {
    expect(when(null, { type: "CREATE", chat: created })).toEqual({
      ok: true,
      events: [{ type: "chat.created", data: created }],
    });
  });

  it("given the same chat, CREATE records nothing; with other settings it is chat_exists", () => {
    expect(when(given(), { type: "CREATE", chat: created })).toEqual({ ok: true, events: [] });
    expect(
      when(given(), { type: "CREATE", chat: { ...created, settings: { model: "m" } } }),
    ).toMatchObject({ ok: false, error: { code: "chat_exists" } });
  });

  it("given a deleted chat, CREATE is chat_exists: ids are not reused", () => {
    const deleted = given({ type: "chat.deleted", data: { chatId: "c1" } });
    expect(when(deleted, { type: "CREATE", chat: created })).toMatchObject({
      ok: false,
      error: { code: "chat_exists", message: 'chat "c1" was deleted; chat ids are not reused' },
    });
  });
});

describe("chat decider: messages", () => {
  it("given a new message id, MESSAGE queues it; evolve puts it at the end of the queue", () => {
    const state = given(queued("m1"));
    const decision = when(state, message("m2", "hello"));
    expect(decision).toEqual({ ok: true, events: [queued("m2", "hello")] });
    const next = decision.ok ? decision.events.reduce((s, e) => evolve(s, e, t(9)), state) : state;
    expect(next.queue.map((m) => [m.messageId, m.queuedAt])).toEqual([
      ["m1", t(1)],
      ["m2", t(9)],
    ]);
  });

  it("given a queued message, the same id and text records nothing; other text is a conflict", () => {
    const state = given(queued("m1", "hello"));
    expect(when(state, message("m1", "hello"))).toEqual({ ok: true, events: [] });
    expect(when(state, message("m1", "other"))).toMatchObject({
      ok: false,
      error: { code: "message_conflict" },
    });
  });

  it("given a message that already ran, its first text decides: same records nothing, other conflicts", () => {
    const ran = given(queued("m1", "hello"), started("m1"));
    expect(ran.queue).toEqual([]);
    expect(when(ran, message("m1", "hello", "hello"))).toEqual({ ok: true, events: [] });
    expect(when(ran, message("m1", "other", "hello"))).toMatchObject({
      ok: false,
      error: { code: "message_conflict" },
    });
  });

  it("given a deleted chat, MESSAGE is chat_not_found", () => {
    const deleted = given({ type: "chat.deleted", data: { chatId: "c1" } });
    expect(when(deleted, message("m1", "x"))).toMatchObject({
      ok: false,
      error: { code: "chat_not_found" },
    });
  });
});

describe("chat decider: turns", () => {
  it("given an idle chat with a queue, START starts the head with the last session id", () => {
    const state = given(queued("m1"), queued("m2"));
    expect(when(state, { type: "START" })).toEqual({ ok: true, events: [started("m1")] });
    const running = given(queued("m1"), queued("m2"), started("m1"));
    expect(running).toMatchObject({
      status: "running",
      currentTurn: { turnId: "turn_m1", messageId: "m1", startedAt: t(3), settings: {} },
    });
    expect(running.queue.map((m) => m.messageId)).toEqual(["m2"]);
    expect(when(running, { type: "START" })).toEqual({ ok: true, events: [] });
  });

  it("given a running turn, provider outputs become session, delta and item records", () => {
    const state = given(queued("m1"), started("m1"));
    const output = (o: Extract<ChatCommand, { type: "PROVIDER" }>["output"]) =>
      when(state, { type: "PROVIDER", output: o });
    expect(output({ kind: "session", sessionId: "s1" })).toEqual({
      ok: true,
      events: [
        {
          type: "chat.session.updated",
          data: { chatId: "c1", turnId: "turn_m1", sessionId: "s1" },
        },
      ],
    });
    const withSession = evolve(
      state,
      { type: "chat.session.updated", data: { chatId: "c1", turnId: "turn_m1", sessionId: "s1" } },
      t(5),
    );
    expect(
      when(withSession, { type: "PROVIDER", output: { kind: "session", sessionId: "s1" } }),
    ).toEqual({ ok: true, events: [] });
    expect(
      output({ kind: "delta", itemId: "i1", itemKind: "reasoning", text: "hm" }),
    ).toMatchObject({
      events: [{ type: "chat.item.delta", data: { itemId: "i1", kind: "reasoning", text: "hm" } }],
    });
    expect(output({ kind: "activity" })).toEqual({ ok: true, events: [] });
  });

  it("given a running turn, its terminal output ends it, timed from its recorded start", () => {
    const state = given(queued("m1"), started("m1"));
    const decision = when(state, {
      type: "PROVIDER",
      output: { kind: "completed", usage: null, costUsd: null },
    });
    expect(decision).toMatchObject({
      ok: true,
      events: [{ type: "chat.turn.completed", data: { turnId: "turn_m1", durationMs: 8000 } }],
    });
    const ended = decision.ok ? evolve(state, decision.events[0] as ChatRecord, t(10)) : state;
    expect(ended).toMatchObject({ status: "idle", currentTurn: null });
  });

  it("given a stop asked for, STOP records interrupting and the chat is interrupting", () => {
    const state = given(queued("m1"), started("m1"));
    const decision = when(state, { type: "STOP", reason: "watchdog" });
    expect(decision).toEqual({
      ok: true,
      events: [
        {
          type: "chat.turn.interrupting",
          data: { chatId: "c1", turnId: "turn_m1", reason: "watchdog" },
        },
      ],
    });
    expect(given(queued("m1"), started("m1"), ...(decision.ok ? decision.events : [])).status).toBe(
      "interrupting",
    );
    expect(when(given(), { type: "STOP", reason: "user" })).toEqual({ ok: true, events: [] });
  });

  it("given a turn open at shutdown, its end is interrupted shutdown whatever the provider said", () => {
    const state = given(queued("m1"), started("m1"));
    const stop = { reason: "shutdown", shuttingDown: true } as const;
    const failed = {
      kind: "failed",
      error: { code: "codex_app_server_exited", message: "exited" },
    } as const;
    expect(when(state, { type: "PROVIDER", output: failed }, { ...context, stop })).toMatchObject({
      events: [{ type: "chat.turn.interrupted", data: { reason: "shutdown" } }],
    });
  });

  it("given no answer to the escalation, GIVE_UP ends the turn with the stop's reason", () => {
    const state = given(queued("m1"), started("m1"));
    const stop = { reason: "user", shuttingDown: false } as const;
    expect(when(state, { type: "GIVE_UP" }, { ...context, stop })).toMatchObject({
      events: [{ type: "chat.turn.interrupted", data: { reason: "user" } }],
    });
  });
});

describe("chat decider: delete", () => {
  it("given a running turn and a queue, DELETE ends the turn, drops the queue, then deletes", () => {
    const state = given(queued("m1"), queued("m2"), started("m1"));
    const decision = when(state, { type: "DELETE" });
    expect(decision.ok && decision.events.map((e) => e.type)).toEqual([
      "chat.turn.interrupted",
      "chat.message.dropped",
      "chat.deleted",
    ]);
    expect(decision.ok && decision.events[0]?.data).toMatchObject({ reason: "chat_deleted" });
    const after = decision.ok
      ? decision.events.reduce((s, e) => evolve(s, e, t(10)), state)
      : state;
    expect(after).toMatchObject({ status: "deleted", queue: [], currentTurn: null });
  });

  it("given an idle chat, DELETE only deletes", () => {
    expect(when(given(), { type: "DELETE" })).toEqual({
      ok: true,
      events: [{ type: "chat.deleted", data: { chatId: "c1" } }],
    });
  });
});
