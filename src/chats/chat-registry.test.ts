import { describe, expect, it } from "vitest";
import { readHistoryPage } from "../../projections/chat-history.js";
import { RECENT_MESSAGES, readChatView } from "../../projections/chats.js";
import { openTestLog } from "../../test/support/open-test-log.js";
import { ScriptedProvider } from "../../test/support/scripted-provider.js";
import { useTempDir } from "../../test/support/temp-dir.js";
import { waitUntil } from "../../test/support/wait-until.js";
import type { EventLog } from "../log/event-log.js";
import { readEventsBatch } from "../log/read-events-batch.js";
import { readStream } from "../log/read-stream.js";
import { createLogger } from "../logger.js";
import { ChatRegistry } from "./chat-registry.js";
import { recoverChats } from "./recover-chats.js";

const tempDir = useTempDir();

function setup(dir = tempDir(), timing: { watchdogMs?: number; graceMs?: number } = {}) {
  const log = openTestLog(dir);
  const provider = new ScriptedProvider();
  const registry = new ChatRegistry({
    log,
    providers: { claude: provider, codex: new ScriptedProvider("codex") },
    timing: {
      watchdogMs: timing.watchdogMs ?? 10_000,
      graceMs: timing.graceMs ?? 50,
      approvalTimeoutMs: 60_000,
    },
    logger: createLogger("silent"),
  });
  registry.startAll();
  /** The chat as GET /chats/:chatId serves it. */
  const chat = (chatId: string) => readChatView(log.readModels, chatId);
  return { log, provider, registry, dir, chat };
}

function create(registry: ChatRegistry, chatId = "c1") {
  const result = registry.create({
    chatId,
    provider: "claude",
    title: null,
    cwd: "/tmp",
    settings: {},
  });
  if (!result.ok) throw new Error(result.error.message);
}

const types = (log: EventLog, chatId = "c1") =>
  readStream(log, `chat:${chatId}`).map((e) => e.type);
const send = (registry: ChatRegistry, text: string, messageId: string, chatId = "c1") =>
  registry.post(chatId, { messageId, text, settings: {} });
const lastType = (log: EventLog, chatId = "c1") => types(log, chatId).at(-1);

describe("chat registry and actors", () => {
  it("runs a turn: started, session, coalesced deltas, final item, completed", async () => {
    const { log, registry, chat } = setup();
    create(registry);
    expect(send(registry, "reply one two three four", "m1")).toEqual({
      ok: true,
      value: { created: true },
    });
    await waitUntil(() => lastType(log) === "chat.turn.completed", "the turn completes");
    const events = types(log);
    expect(events.slice(0, 4)).toEqual([
      "chat.created",
      "chat.message.queued",
      "chat.turn.started",
      "chat.session.updated",
    ]);
    expect(events.filter((t) => t === "chat.item.delta").length).toBeLessThan(4);
    const history = readHistoryPage(log.readModels, "c1", 0, 100, null);
    expect(history.map((h) => h.item)).toEqual([
      { type: "user_message", text: "reply one two three four" },
      { type: "assistant_text", text: "one two three four" },
    ]);
    expect(chat("c1")).toMatchObject({
      status: "idle",
      sessionId: "session-c1",
      counters: { completed: 1 },
    });
    await registry.shutdown();
  });

  it("runs messages posted while a turn runs in the order they were posted", async () => {
    const { log, registry, provider, chat } = setup();
    create(registry);
    send(registry, "sleep 30", "m0");
    for (let i = 1; i <= 10; i++) send(registry, `echo ${i}`, `m${i}`);
    expect(chat("c1")?.queue.map((m) => m.messageId)).toEqual(
      Array.from({ length: 10 }, (_, i) => `m${i + 1}`),
    );
    await waitUntil(() => chat("c1")?.counters.completed === 11, "all turns complete");
    expect(provider.requests.map((r) => r.text)).toEqual([
      "sleep 30",
      ...Array.from({ length: 10 }, (_, i) => `echo ${i + 1}`),
    ]);
    const started = readStream(log, "chat:c1").filter((e) => e.type === "chat.turn.started");
    expect(started.map((e) => (e.data as { messageId: string }).messageId)).toEqual(
      Array.from({ length: 11 }, (_, i) => `m${i}`),
    );
    await registry.shutdown();
  });

  it("a repeated message id is not queued twice; another text under it is a conflict", () => {
    const { registry, chat } = setup();
    create(registry);
    send(registry, "sleep 1000", "m0");
    expect(send(registry, "hello", "m1")).toEqual({ ok: true, value: { created: true } });
    expect(send(registry, "hello", "m1")).toEqual({ ok: true, value: { created: false } });
    expect(send(registry, "other", "m1")).toMatchObject({
      ok: false,
      error: { code: "message_conflict" },
    });
    expect(chat("c1")?.queue).toHaveLength(1);
    return registry.shutdown();
  });

  it("interrupt while idle does nothing; while running it ends the turn; twice is the same as once", async () => {
    const { log, registry, provider, chat } = setup();
    create(registry);
    const before = types(log).length;
    expect(registry.interrupt("c1")).toEqual({ ok: true, value: { turnId: null } });
    expect(types(log)).toHaveLength(before);
    send(registry, "sleep 60000", "m1");
    await waitUntil(() => chat("c1")?.sessionId, "the turn runs");
    registry.interrupt("c1");
    registry.interrupt("c1");
    await waitUntil(() => lastType(log) === "chat.turn.interrupted", "the turn is interrupted");
    expect(types(log).filter((t) => t === "chat.turn.interrupting")).toHaveLength(1);
    expect(provider.commands).toEqual(["turn_m1:interrupt"]);
    expect(chat("c1")).toMatchObject({
      status: "idle",
      messages: [{ messageId: "m1", state: "interrupted" }],
    });
    send(registry, "reply again", "m2");
    await waitUntil(() => chat("c1")?.counters.completed === 1, "the next message works");
    await registry.shutdown();
  });

  it("escalates interrupt → signal → kill for a provider that ignores the first two", async () => {
    const { log, registry, provider, chat } = setup();
    create(registry);
    send(registry, "stubborn", "m1");
    await waitUntil(() => chat("c1")?.status === "running", "the turn runs");
    registry.interrupt("c1");
    await waitUntil(() => lastType(log) === "chat.turn.interrupted", "the turn ends");
    expect(provider.commands).toEqual(["turn_m1:interrupt", "turn_m1:signal", "turn_m1:kill"]);
    await registry.shutdown();
  });

  it("gives up on a provider that ignores even the kill, and the chat moves on", async () => {
    const { log, registry, chat } = setup();
    create(registry);
    send(registry, "deaf", "m1");
    send(registry, "reply next", "m2");
    await waitUntil(() => chat("c1")?.status === "running", "the turn runs");
    registry.interrupt("c1");
    await waitUntil(() => chat("c1")?.counters.completed === 1, "the next message completes");
    const ended = readStream(log, "chat:c1").find((e) => e.type === "chat.turn.interrupted");
    expect(ended?.data).toMatchObject({ messageId: "m1", reason: "user" });
    await registry.shutdown();
  });

  it("the watchdog fails a turn whose provider stays silent", async () => {
    const { log, registry } = setup(undefined, { watchdogMs: 100, graceMs: 20 });
    create(registry);
    send(registry, "silent", "m1");
    await waitUntil(() => lastType(log) === "chat.turn.failed", "the watchdog ends the turn");
    const failed = readStream(log, "chat:c1").find((e) => e.type === "chat.turn.failed");
    expect(failed?.data).toMatchObject({ error: { code: "watchdog_timeout" } });
    expect(types(log)).toContain("chat.turn.interrupting");
    await registry.shutdown();
  });

  it("a failing provider fails the turn with its error and the chat takes the next message", async () => {
    const { registry, chat } = setup();
    create(registry);
    send(registry, "fail the model is down", "m1");
    send(registry, "reply ok", "m2");
    await waitUntil(() => chat("c1")?.counters.completed === 1, "the next message completes");
    expect(chat("c1")?.messages).toMatchObject([
      {
        messageId: "m1",
        state: "failed",
        error: { code: "scripted_failure", message: "the model is down" },
      },
      { messageId: "m2", state: "completed" },
    ]);
    await registry.shutdown();
  });

  it("deleting a running chat interrupts its turn, drops its queue and releases its provider", async () => {
    const { log, registry, provider, chat } = setup();
    create(registry);
    send(registry, "sleep 60000", "m1");
    send(registry, "reply never", "m2");
    await waitUntil(() => chat("c1")?.status === "running", "the turn runs");
    expect(await registry.delete("c1")).toEqual({ ok: true, value: {} });
    expect(types(log).slice(-3)).toEqual([
      "chat.turn.interrupted",
      "chat.message.dropped",
      "chat.deleted",
    ]);
    expect(provider.commands).toEqual(["turn_m1:kill"]);
    expect(provider.released).toEqual(["c1"]);
    expect(chat("c1")).toBeUndefined();
    expect(send(registry, "x", "m3")).toMatchObject({
      ok: false,
      error: { code: "chat_not_found" },
    });
    expect(await registry.delete("c1")).toMatchObject({
      ok: false,
      error: { code: "chat_not_found" },
    });
    await registry.shutdown();
  });

  it("creating a chat twice with the same settings is idempotent; with others it conflicts", () => {
    const { registry } = setup();
    create(registry);
    const again = registry.create({
      chatId: "c1",
      provider: "claude",
      title: null,
      cwd: "/tmp",
      settings: {},
    });
    expect(again).toMatchObject({ ok: true, value: { created: false } });
    const other = registry.create({
      chatId: "c1",
      provider: "codex",
      title: null,
      cwd: "/tmp",
      settings: {},
    });
    expect(other).toMatchObject({ ok: false, error: { code: "chat_exists" } });
    return registry.delete("c1").then(() => {
      const reused = registry.create({
        chatId: "c1",
        provider: "claude",
        title: null,
        cwd: "/tmp",
        settings: {},
      });
      expect(reused).toMatchObject({
        ok: false,
        error: { message: 'chat "c1" was deleted; chat ids are not reused' },
      });
      return registry.shutdown();
    });
  });

  it("shutdown interrupts running turns, keeps the queue, and a restart runs it", async () => {
    const first = setup();
    create(first.registry);
    send(first.registry, "sleep 60000", "m1");
    send(first.registry, "reply later", "m2");
    await waitUntil(() => first.chat("c1")?.sessionId, "the turn runs");
    await first.registry.shutdown();
    expect(send(first.registry, "x", "m3")).toMatchObject({
      ok: false,
      error: { code: "shutting_down" },
    });
    expect(first.chat("c1")).toMatchObject({
      status: "idle",
      queue: [{ messageId: "m2" }],
    });
    first.log.close();

    const second = setup(first.dir);
    await waitUntil(
      () => second.chat("c1")?.counters.completed === 1,
      "the queued message runs after restart",
    );
    expect(second.provider.requests[0]).toMatchObject({
      text: "reply later",
      resumeSessionId: "session-c1",
    });
    await second.registry.shutdown();
  });

  it("recovery closes a turn left open by a crash as interrupted by the restart", async () => {
    const dir = tempDir();
    const crashed = openTestLog(dir);
    const { appendToStream } = await import("../log/append-to-stream.js");
    appendToStream(crashed, "chat:c1", [
      {
        type: "chat.created",
        data: { chatId: "c1", provider: "claude", title: null, cwd: "/tmp", settings: {} },
      },
      {
        type: "chat.message.queued",
        data: { chatId: "c1", messageId: "m1", text: "sleep 60000", settings: {} },
      },
      {
        type: "chat.message.queued",
        data: { chatId: "c1", messageId: "m2", text: "reply after", settings: {} },
      },
      {
        type: "chat.turn.started",
        data: {
          chatId: "c1",
          turnId: "turn_m1",
          messageId: "m1",
          text: "sleep 60000",
          settings: {},
          resumeSessionId: null,
        },
      },
    ]);
    crashed.close();
    const log = openTestLog(dir);
    expect(recoverChats(log)).toEqual({
      interruptedTurns: [{ chatId: "c1", turnId: "turn_m1" }],
      queuedMessages: 1,
    });
    const rows = readEventsBatch(log.db, { after: 0, limit: 100 });
    expect(rows.slice(-2).map((r) => r.type)).toEqual([
      "chat.turn.interrupted",
      "engine.recovered",
    ]);
    expect(JSON.parse(rows.at(-2)!.data)).toMatchObject({
      reason: "engine_restart",
      messageId: "m1",
    });
    log.close();
    const { registry, chat } = setup(dir);
    await waitUntil(() => chat("c1")?.counters.completed === 1, "the queue continues");
    await registry.shutdown();
  });

  it("at boot only chats with work get an actor; the others start on their next command and are released when they rest", async () => {
    const dir = tempDir();
    const crashed = openTestLog(dir);
    const { appendToStream } = await import("../log/append-to-stream.js");
    const created = (chatId: string) => ({
      type: "chat.created" as const,
      data: { chatId, provider: "claude" as const, title: null, cwd: "/tmp", settings: {} },
    });
    const queued = (chatId: string, messageId: string, text: string) => ({
      type: "chat.message.queued" as const,
      data: { chatId, messageId, text, settings: {} },
    });
    const started = (chatId: string, messageId: string, text: string) => ({
      type: "chat.turn.started" as const,
      data: {
        chatId,
        turnId: `turn_${messageId}`,
        messageId,
        text,
        settings: {},
        resumeSessionId: null,
      },
    });
    appendToStream(crashed, "chat:idle", [created("idle")]);
    // Mid-turn with a message behind it, and mid-turn alone.
    appendToStream(crashed, "chat:queued", [
      created("queued"),
      queued("queued", "m1", "sleep 60000"),
      queued("queued", "m2", "reply after restart"),
      started("queued", "m1", "sleep 60000"),
    ]);
    appendToStream(crashed, "chat:cut", [
      created("cut"),
      queued("cut", "m1", "sleep 60000"),
      started("cut", "m1", "sleep 60000"),
    ]);
    crashed.close();
    const log = openTestLog(dir);
    expect(
      recoverChats(log)
        .interruptedTurns.map((t) => t.chatId)
        .sort(),
    ).toEqual(["cut", "queued"]);
    log.close();

    const { registry, chat, provider } = setup(dir);
    expect(registry.inspectActors().map((a) => a.chatId)).toEqual(["queued"]);
    await waitUntil(() => chat("queued")?.counters.completed === 1, "the queue continues");
    expect(provider.requests.map((r) => r.text)).toEqual(["reply after restart"]);
    expect(chat("cut")).toMatchObject({ status: "idle", counters: { interrupted: 1 } });

    expect(send(registry, "reply idle", "m1", "idle")).toEqual({
      ok: true,
      value: { created: true },
    });
    expect(send(registry, "reply cut", "m2", "cut")).toEqual({
      ok: true,
      value: { created: true },
    });
    await waitUntil(
      () => chat("idle")?.counters.completed === 1 && chat("cut")?.counters.completed === 1,
      "the chats idle at boot take their messages",
    );
    expect(registry.inspectActors()).toEqual([]);
    await registry.shutdown();
  });

  it("a chat's actor lives from its next command until it rests, and starts again from its read model", async () => {
    const { registry, chat, provider } = setup();
    create(registry, "c1");
    create(registry, "c2");
    expect(registry.inspectActors()).toEqual([]);
    const afterTurns: string[][] = [];
    registry.onTurnEnded(() =>
      setImmediate(() => afterTurns.push(registry.inspectActors().map((a) => a.chatId))),
    );
    send(registry, "sleep 30", "m1", "c2");
    send(registry, "reply hello", "m2", "c2");
    expect(registry.interrupt("c1")).toEqual({ ok: true, value: { turnId: null } });
    expect(registry.inspectActors().map((a) => a.chatId)).toEqual(["c2", "c1"]);
    await Promise.resolve();
    expect(registry.inspectActors().map((a) => a.chatId)).toEqual(["c2"]);
    await waitUntil(() => chat("c2")?.counters.completed === 2, "the queued turn completes");
    await new Promise(setImmediate);
    // After the first turn the queued message keeps the actor; after the second it rests.
    expect(afterTurns).toEqual([["c2"], []]);

    send(registry, "reply again", "m3", "c2");
    await waitUntil(() => chat("c2")?.counters.completed === 3, "the next message runs");
    expect(provider.requests.at(-1)).toMatchObject({
      text: "reply again",
      resumeSessionId: "session-c2",
    });
    expect(chat("c2")?.messages.map((m) => [m.messageId, m.state])).toEqual([
      ["m1", "completed"],
      ["m2", "completed"],
      ["m3", "completed"],
    ]);
    expect(registry.inspectActors()).toEqual([]);
    expect(registry.interrupt("nope")).toMatchObject({
      ok: false,
      error: { code: "chat_not_found" },
    });
    await registry.shutdown();
    expect(registry.interrupt("c1")).toMatchObject({ ok: false, error: { code: "shutting_down" } });
  });

  it("while shutdown waits for a stubborn turn, a chat whose actor it already stopped answers shutting_down", async () => {
    const { registry } = setup(tempDir(), { graceMs: 200 });
    create(registry, "quick");
    create(registry, "busy");
    send(registry, "sleep 60000", "m0", "quick");
    send(registry, "stubborn", "m1", "busy");
    const stopping = registry.shutdown();
    await waitUntil(
      () => registry.inspectActors().find((a) => a.chatId === "quick")?.status === "done",
      "shutdown has stopped the quick chat's actor",
    );
    expect(registry.inspectActors().find((a) => a.chatId === "busy")?.status).toBe("active");
    const refused = { ok: false, error: { code: "shutting_down" } };
    expect(registry.interrupt("quick")).toMatchObject(refused);
    expect(registry.answer("quick", "appr_x", { decision: "allow", scope: "once" })).toMatchObject(
      refused,
    );
    expect(await registry.delete("quick")).toMatchObject(refused);
    await stopping;
  });

  it("a chat's snapshot shows its newest messages' states, up to the limit", async () => {
    const { registry, chat } = setup();
    create(registry);
    send(registry, "sleep 60000", "m0");
    for (let i = 1; i <= RECENT_MESSAGES + 4; i++) send(registry, `echo ${i}`, `m${i}`);
    const messages = chat("c1")?.messages ?? [];
    expect(messages).toHaveLength(RECENT_MESSAGES);
    expect(messages.at(0)?.messageId).toBe("m5");
    expect(messages.at(-1)).toMatchObject({
      messageId: `m${RECENT_MESSAGES + 4}`,
      state: "queued",
    });
    await registry.shutdown();
  });

  it("runs 20 chats at once", async () => {
    const { registry, chat } = setup();
    for (let i = 0; i < 20; i++) create(registry, `c${i}`);
    for (let i = 0; i < 20; i++) {
      send(registry, "sleep 50", `a${i}`, `c${i}`);
      send(registry, `reply chat ${i}`, `b${i}`, `c${i}`);
    }
    await waitUntil(
      () =>
        Array.from({ length: 20 }, (_, i) => chat(`c${i}`)?.counters.completed).every(
          (n) => n === 2,
        ),
      "every chat completes both turns",
    );
    await registry.shutdown();
  });
});
