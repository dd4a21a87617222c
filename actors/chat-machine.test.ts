import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import type { ProviderOutput } from "../src/providers/provider.js";
import { approvalResolved, writeAsk } from "../test/support/approval-records.js";
import type { ChatCommand } from "./chat-context.js";
import { chatMachine } from "./chat-machine.js";
import type { ChatState } from "./chat-state.js";

/**
 * The chat machine as a pure function: each step returns the next snapshot and the actions it
 * would run (records to emit, commands for the provider, timers to set), none of them executed.
 * A timer firing is its `xstate.after.*` event, sent like any other.
 */
type Snapshot = ReturnType<typeof initialTransition<typeof chatMachine>>[0];
type Actions = ReturnType<typeof initialTransition<typeof chatMachine>>[1];

const clock = { ms: Date.UTC(2026, 0, 1) };
const timing = {
  now: () => new Date(clock.ms),
  graceMs: 1_000,
  approvalTimeoutMs: 60_000,
};

const chat = (overrides: Partial<ChatState> = {}): ChatState => ({
  chatId: "c1",
  provider: "claude",
  title: null,
  cwd: "/w",
  settings: { model: "m" },
  status: "idle",
  sessionId: null,
  currentTurn: null,
  queue: [],
  pendingApprovals: [],
  ...overrides,
});
const queued = (messageId: string, text = `reply ${messageId}`) => ({
  messageId,
  text,
  settings: {},
  queuedAt: new Date(clock.ms).toISOString(),
});

/** The actions as plain data: their type and parameters. */
interface ActionData {
  type: string;
  params: {
    event?: { type: string; event?: { type: string; data: unknown } };
    delay?: number;
    id?: string;
    input?: { resumeSessionId?: string | null };
  };
}
const data = (actions: Actions) => actions as unknown as ActionData[];
const records = (actions: Actions) =>
  data(actions).flatMap((a) =>
    a.type === "xstate.emit" && a.params.event?.event ? [a.params.event.event] : [],
  );
const recordTypes = (actions: Actions) => records(actions).map((e) => e.type);
const told = (actions: Actions) =>
  data(actions).flatMap((a) =>
    a.type === "xstate.sendTo" && a.params.event ? [a.params.event.type] : [],
  );
const timers = (actions: Actions) =>
  data(actions).flatMap((a) =>
    a.type === "xstate.raise" && a.params.delay !== undefined ? [a.params.id] : [],
  );
const spawned = (actions: Actions) =>
  data(actions).find((a) => a.type === "xstate.spawnChild")?.params.input;

const start = (state: ChatState) =>
  initialTransition(chatMachine, { chat: state, timing, defaults: {} });
const step = (snapshot: Snapshot, event: ChatCommand | { type: string; [k: string]: unknown }) =>
  transition(chatMachine, snapshot, event as ChatCommand);
const provider = (output: ProviderOutput) => ({ type: "PROVIDER", output }) as const;
const timerFired = (delay: string, state: string) => ({
  type: `xstate.after.${delay}.chat.running.${state}`,
});

/** A chat running the turn of m1, with m2 queued behind it. */
function running() {
  const [snapshot, actions] = start(chat({ queue: [queued("m1"), queued("m2")] }));
  return { snapshot, actions };
}

describe("chat machine (pure transitions)", () => {
  it("given queued messages at start, it starts the head's turn and invokes the provider", () => {
    const { snapshot, actions } = running();
    expect(snapshot.value).toEqual({ running: "active" });
    expect(recordTypes(actions)).toEqual(["chat.turn.started"]);
    expect(spawned(actions)).toEqual({
      chatId: "c1",
      turnId: "turn_m1",
      text: "reply m1",
      cwd: "/w",
      resumeSessionId: null,
      settings: { model: "m" },
      attachments: [],
    });
    expect(snapshot.context.chat.queue.map((m) => m.messageId)).toEqual(["m2"]);
  });

  it("output is recorded and arms no timer; the watchdog's report stops the turn, which fails", () => {
    const { snapshot } = running();
    const delta = provider({ kind: "delta", itemId: "i1", itemKind: "assistant_text", text: "hi" });
    const [alive, deltaActions] = step(snapshot, delta);
    expect(recordTypes(deltaActions)).toEqual(["chat.item.delta"]);
    expect(timers(deltaActions)).toEqual([]);
    expect(alive.value).toEqual({ running: "active" });
    const [stopping, stopActions] = step(alive, { type: "WATCHDOG" });
    expect(stopping.value).toEqual({ running: "interrupting" });
    expect(records(stopActions)).toEqual([
      {
        type: "chat.turn.interrupting",
        data: { chatId: "c1", turnId: "turn_m1", reason: "watchdog" },
      },
    ]);
    expect(told(stopActions)).toEqual(["interrupt"]);
    clock.ms += 5_000;
    const [ended, endActions] = step(stopping, provider({ kind: "interrupted" }));
    expect(records(endActions)[0]).toMatchObject({
      type: "chat.turn.failed",
      data: { messageId: "m1", durationMs: 5_000, error: { code: "watchdog_timeout" } },
    });
    // Back to idle, and straight on to the next queued message.
    expect(ended.value).toEqual({ running: "active" });
    expect(recordTypes(endActions)).toEqual(["chat.turn.failed", "chat.turn.started"]);
  });

  it("an interrupt escalates: interrupt, then signal, then kill, then it gives up on the provider", () => {
    const { snapshot } = running();
    const [interrupting, first] = step(snapshot, { type: "INTERRUPT" });
    expect(recordTypes(first)).toEqual(["chat.turn.interrupting"]);
    expect(told(first)).toEqual(["interrupt"]);
    const [again, second] = step(interrupting, { type: "INTERRUPT" });
    expect(recordTypes(second)).toEqual([]);
    const [, signal] = step(again, timerFired("grace", "interrupting"));
    expect(told(signal)).toEqual(["signal"]);
    const [, kill] = step(again, timerFired("graceTwice", "interrupting"));
    expect(told(kill)).toEqual(["kill"]);
    const [gaveUp, giveUp] = step(again, timerFired("graceThrice", "interrupting"));
    expect(records(giveUp)[0]).toMatchObject({
      type: "chat.turn.interrupted",
      data: { messageId: "m1", reason: "user" },
    });
    expect(gaveUp.context.chat.currentTurn).toMatchObject({ messageId: "m2" });
  });

  it("a delete mid-turn ends the turn (chat_deleted), drops the queue, records the deletion and stops", () => {
    const { snapshot } = running();
    const [deleted, actions] = step(snapshot, { type: "DELETE" });
    expect(deleted.value).toBe("deleted");
    expect(deleted.status).toBe("done");
    expect(records(actions)).toMatchObject([
      { type: "chat.turn.interrupted", data: { messageId: "m1", reason: "chat_deleted" } },
      { type: "chat.message.dropped", data: { messageId: "m2", reason: "chat_deleted" } },
      { type: "chat.deleted", data: { chatId: "c1" } },
    ]);
    // Leaving the turn stops the invoked provider turn, which kills the agent on its way out.
    expect(data(actions).some((a) => a.type === "xstate.stopChild")).toBe(true);
  });

  it("given a turn interrupting (user), a delete ends it interrupted with chat_deleted, not the interrupt's reason", () => {
    const { snapshot } = running();
    const [interrupting] = step(snapshot, { type: "INTERRUPT" });
    const [deleted, actions] = step(interrupting, { type: "DELETE" });
    expect(deleted.value).toBe("deleted");
    expect(records(actions)).toMatchObject([
      { type: "chat.turn.interrupted", data: { messageId: "m1", reason: "chat_deleted" } },
      { type: "chat.message.dropped", data: { messageId: "m2", reason: "chat_deleted" } },
      { type: "chat.deleted", data: { chatId: "c1" } },
    ]);
  });

  it("at shutdown the open turn ends interrupted (shutdown) even when the provider reports a failure, and the queue stays", () => {
    const { snapshot } = running();
    const [stopping, stopActions] = step(snapshot, { type: "SHUTDOWN" });
    expect(records(stopActions)).toMatchObject([
      { type: "chat.turn.interrupting", data: { reason: "shutdown" } },
    ]);
    const [stopped, endActions] = step(
      stopping,
      provider({ kind: "failed", error: { code: "codex_app_server_exited", message: "SIGINT" } }),
    );
    expect(records(endActions)).toMatchObject([
      { type: "chat.turn.interrupted", data: { messageId: "m1", reason: "shutdown" } },
    ]);
    expect(stopped.value).toBe("stopped");
    expect(stopped.context.chat.queue.map((m) => m.messageId)).toEqual(["m2"]);
  });

  it("given a turn already interrupting, a shutdown records nothing, restarts no escalation, and the chat stops once the turn ends", () => {
    const { snapshot } = running();
    const [interrupting] = step(snapshot, { type: "INTERRUPT" });
    const [stopping, actions] = step(interrupting, { type: "SHUTDOWN" });
    expect(stopping.value).toEqual({ running: "interrupting" });
    expect(recordTypes(actions)).toEqual([]);
    expect(told(actions)).toEqual([]);
    expect(timers(actions)).toEqual([]);
    const [stopped, endActions] = step(stopping, provider({ kind: "interrupted" }));
    expect(records(endActions)).toMatchObject([
      { type: "chat.turn.interrupted", data: { messageId: "m1", reason: "shutdown" } },
    ]);
    expect(stopped.value).toBe("stopped");
  });

  it("an idle chat stops at shutdown without recording anything", () => {
    const [idle] = start(chat());
    const [stopped, actions] = step(idle, { type: "SHUTDOWN" });
    expect(stopped.value).toBe("stopped");
    expect(recordTypes(actions)).toEqual([]);
  });

  it("after a restart, a chat rebuilt from its read model runs its queue and resumes the agent's session", () => {
    // What recovery leaves: the open turn closed, the session id kept, the queue intact.
    const [snapshot, actions] = start(chat({ sessionId: "session-1", queue: [queued("m2")] }));
    expect(records(actions)).toMatchObject([
      { type: "chat.turn.started", data: { messageId: "m2", resumeSessionId: "session-1" } },
    ]);
    expect(spawned(actions)?.resumeSessionId).toBe("session-1");
    expect(snapshot.value).toEqual({ running: "active" });
  });

  it("a provider turn that throws fails the turn with provider_error and the chat takes the next message", () => {
    const { snapshot } = running();
    const [next, actions] = step(snapshot, {
      type: "xstate.error.actor.provider",
      error: new Error("spawn EACCES"),
    });
    expect(records(actions)[0]).toMatchObject({
      type: "chat.turn.failed",
      data: {
        messageId: "m1",
        error: { code: "provider_error", message: "the agent provider failed: spawn EACCES" },
      },
    });
    expect(next.status).toBe("active");
    expect(next.context.chat.currentTurn).toMatchObject({ messageId: "m2" });
  });

  it("a message posted while running is queued; the same id again records nothing", () => {
    const { snapshot } = running();
    const post = {
      type: "MESSAGE",
      message: { messageId: "m3", text: "hi", settings: {} },
      sentText: null,
    } as const;
    const [queuedSnapshot, actions] = step(snapshot, post);
    expect(recordTypes(actions)).toEqual(["chat.message.queued"]);
    const [, repeat] = step(queuedSnapshot, post);
    expect(recordTypes(repeat)).toEqual([]);
  });
});

describe("chat machine: approvals", () => {
  const ask = (approvalId: string) => provider({ kind: "approval", ask: writeAsk(approvalId) });

  it("a request makes the turn await: no watchdog, the request's expiry instead; its expiry denies it and tells the provider", () => {
    const { snapshot } = running();
    const [awaiting, asked] = step(snapshot, ask("a1"));
    expect(awaiting.value).toEqual({ running: "awaiting" });
    expect(recordTypes(asked)).toEqual(["chat.approval.requested"]);
    expect(timers(asked)).toEqual(["xstate.after.approvalExpiry.chat.running.awaiting"]);
    // The watchdog's report while it waits changes nothing: a person may take long.
    const [stillAwaiting, reported] = step(awaiting, { type: "WATCHDOG" });
    expect(stillAwaiting.value).toEqual({ running: "awaiting" });
    expect(records(reported)).toEqual([]);
    clock.ms += 60_000;
    const [resumed, expired] = step(awaiting, timerFired("approvalExpiry", "awaiting"));
    expect(records(expired)[0]).toMatchObject({
      type: "chat.approval.resolved",
      data: { approvalId: "a1", decision: "deny", by: "timeout" },
    });
    expect(told(expired)).toEqual(["answer"]);
    expect(resumed.value).toEqual({ running: "active" });
  });

  it("the client's answer is recorded and relayed; the turn runs again under the watchdog", () => {
    const { snapshot } = running();
    const [awaiting] = step(snapshot, ask("a1"));
    const resolved = approvalResolved("a1", "turn_m1").data;
    const [active, answered] = step(awaiting, { type: "ANSWER", resolved });
    expect(records(answered)).toEqual([{ type: "chat.approval.resolved", data: resolved }]);
    expect(told(answered)).toEqual(["answer"]);
    expect(active.value).toEqual({ running: "active" });
    // Back under the watchdog: its report stops the turn again.
    const [stopping] = step(active, { type: "WATCHDOG" });
    expect(stopping.value).toEqual({ running: "interrupting" });
  });

  it("an interrupt while it waits resolves the request first, then stops the turn", () => {
    const { snapshot } = running();
    const [awaiting] = step(snapshot, ask("a1"));
    const [interrupting, actions] = step(awaiting, { type: "INTERRUPT" });
    expect(interrupting.value).toEqual({ running: "interrupting" });
    expect(recordTypes(actions)).toEqual(["chat.approval.resolved", "chat.turn.interrupting"]);
    expect(records(actions)[0]).toMatchObject({ data: { by: "interrupt" } });
  });

  it("given a turn left waiting on a durable request at boot, it resumes with the message's own settings", () => {
    const startedAt = new Date(clock.ms).toISOString();
    const [snapshot, actions] = start(
      chat({
        status: "awaiting_approval",
        sessionId: "s1",
        currentTurn: {
          turnId: "turn_m1",
          messageId: "m1",
          startedAt,
          settings: { permissionMode: "plan", model: "x" },
        },
        pendingApprovals: [
          {
            approvalId: "appr_1",
            chatId: "c1",
            turnId: "turn_m1",
            kind: "plan",
            callId: "toolu_1",
            toolName: "ExitPlanMode",
            input: { plan: "the plan" },
            reason: null,
            decisions: ["allow", "deny"],
            scopes: ["once"],
            editableInput: false,
            durable: true,
            expiresAt: null,
            requestedAt: startedAt,
          },
        ],
      }),
    );
    expect(snapshot.value).toEqual({ running: "awaiting" });
    expect(spawned(actions)).toMatchObject({
      turnId: "turn_m1",
      resumeSessionId: "s1",
      settings: { model: "x", permissionMode: "plan" },
      deferred: { approvalId: "appr_1", callId: "toolu_1" },
    });
  });
});
