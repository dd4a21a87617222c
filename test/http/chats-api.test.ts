import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineApiError } from "../../src/client/engine-api-error.js";
import type { EngineEvent } from "../../src/events/catalogue.js";
import { type Harness, startHarness } from "../support/engine-harness.js";
import { waitUntil } from "../support/wait-until.js";

let engine: Harness;
beforeAll(async () => {
  engine = await startHarness({ env: { REPLICAS_INTERRUPT_GRACE_MS: "200" } });
});
afterAll(() => engine.stop());

/** Every event so far, read through the SSE stream up to the current position. */
async function eventsSoFar(chatId?: string): Promise<EngineEvent[]> {
  const { position } = await engine.client.status();
  const events: EngineEvent[] = [];
  const stop = new AbortController();
  for await (const item of engine.client.events({ chatId, signal: stop.signal })) {
    if (item.kind === "event") events.push(item.event);
    if (item.kind === "reset" || (item.kind === "event" && item.event.position >= position)) break;
  }
  stop.abort();
  return events;
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: EngineApiError) => e,
  );

describe("chats over HTTP", () => {
  it("creates, lists, reads; creating again with the same id is idempotent", async () => {
    const created = await engine.client.createChat({
      chatId: "a1",
      provider: "claude",
      title: "first",
    });
    expect(created.chat).toMatchObject({
      chatId: "a1",
      status: "idle",
      title: "first",
      cwd: `${engine.home}/workspaces`,
    });
    expect(created.position).toBeGreaterThan(0);
    const again = await engine.client.createChat({
      chatId: "a1",
      provider: "claude",
      title: "first",
    });
    expect(again.chat.createdAt).toBe(created.chat.createdAt);
    const conflict = await rejection(engine.client.createChat({ chatId: "a1", provider: "codex" }));
    expect(conflict).toMatchObject({ status: 409, code: "chat_exists" });
    const list = await engine.client.listChats();
    expect(list.chats.map((c) => c.chatId)).toContain("a1");
    expect((await engine.client.getChat("a1")).chat.title).toBe("first");
    const generated = await engine.client.createChat({ provider: "codex" });
    expect(generated.chat.chatId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("runs many concurrently posted messages in the order they were queued", async () => {
    await engine.client.createChat({ chatId: "q1", provider: "claude" });
    await engine.client.sendMessage("q1", { text: "sleep 1000" });
    const posts = Array.from({ length: 40 }, (_, i) =>
      engine.client.sendMessage("q1", { text: `echo ${i}`, messageId: `q1-m${i}` }),
    );
    const answers = await Promise.all(posts);
    // The first turn is still running when the posts land, so they queue behind it.
    expect(answers.filter((a) => a.state === "queued").length).toBeGreaterThan(30);
    await waitUntil(
      async () => (await engine.client.getChat("q1")).chat.counters.completed === 41,
      "all 41 turns complete",
    );
    const events = await eventsSoFar("q1");
    const queued = events
      .filter((e) => e.type === "chat.message.queued")
      .map((e) => (e.data as { messageId: string }).messageId);
    const started = events
      .filter((e) => e.type === "chat.turn.started")
      .map((e) => (e.data as { messageId: string }).messageId);
    expect(started).toEqual(queued);
    expect(new Set(started).size).toBe(41);
    const { chat } = await engine.client.getChat("q1");
    expect(chat.messages.every((m) => m.state === "completed")).toBe(true);
  });

  it("a message id reused with other text is 409 message_conflict in every state; same text is 200", async () => {
    await engine.client.createChat({ chatId: "r1", provider: "claude" });
    const send = (messageId: string, text: string) =>
      engine.client.sendMessage("r1", { messageId, text });
    const conflict = (messageId: string) => rejection(send(messageId, "other text"));
    const stateOf = async (messageId: string) =>
      (await engine.client.getChat("r1")).chat.messages.find((m) => m.messageId === messageId)
        ?.state;
    await send("r1-fail", "fail on purpose");
    await send("r1-done", "reply done");
    await send("r1-running", "sleep 60000");
    await send("r1-queued", "reply later");
    await waitUntil(async () => (await stateOf("r1-running")) === "started", "the turn runs");
    const states = ["r1-fail", "r1-done", "r1-running", "r1-queued"];
    expect(await Promise.all(states.map(stateOf))).toEqual([
      "failed",
      "completed",
      "started",
      "queued",
    ]);
    for (const messageId of states) {
      expect(await conflict(messageId)).toMatchObject({ status: 409, code: "message_conflict" });
    }
    const repeat = await send("r1-done", "reply done");
    expect(repeat).toMatchObject({ messageId: "r1-done", state: "completed" });
    await engine.client.interrupt("r1");
    await waitUntil(async () => (await stateOf("r1-queued")) === "completed", "the queue runs");
    for (const messageId of ["r1-running", "r1-queued"]) {
      expect(await conflict(messageId)).toMatchObject({ status: 409, code: "message_conflict" });
    }
    const events = await eventsSoFar("r1");
    expect(events.filter((e) => e.type === "chat.message.queued")).toHaveLength(4);
  });

  it("history shows a streaming item with its text so far; once its turn ended without the final item, it is final with that text", async () => {
    await engine.client.createChat({ chatId: "s1", provider: "claude" });
    await engine.client.sendMessage("s1", { text: "drip 2 60000" });
    const streaming = await waitUntil(
      async () => (await engine.client.history("s1")).items.find((i) => i.status === "streaming"),
      "an item streams",
    );
    // The scripted provider's chunks are " <ms>": the first one is there, whole.
    expect(streaming.item).toMatchObject({
      type: "assistant_text",
      text: expect.stringMatching(/^ \d+$/),
    });
    await engine.client.interrupt("s1");
    await waitUntil(
      async () => (await engine.client.getChat("s1")).chat.status === "idle",
      "the turn ends",
    );
    const after = (await engine.client.history("s1")).items.find(
      (i) => i.itemId === streaming.itemId,
    );
    expect(after).toMatchObject({ status: "final", item: streaming.item });
  });

  it("interrupt while idle, while running, and twice", async () => {
    await engine.client.createChat({ chatId: "i1", provider: "claude" });
    const idle = await engine.client.interrupt("i1");
    expect(idle).toMatchObject({ interrupting: false, turnId: null });
    // A provider that only yields to a kill keeps the turn stopping long enough to ask twice.
    const sent = await engine.client.sendMessage("i1", { text: "stubborn" });
    await waitUntil(
      async () => (await engine.client.getChat("i1")).chat.status === "running",
      "the turn runs",
    );
    const first = await engine.client.interrupt("i1");
    const second = await engine.client.interrupt("i1");
    expect(first).toMatchObject({ interrupting: true, turnId: `turn_${sent.messageId}` });
    expect(second.turnId).toBe(first.turnId);
    await waitUntil(
      async () => (await engine.client.getChat("i1")).chat.status === "idle",
      "the turn ends",
    );
    const events = await eventsSoFar("i1");
    expect(events.filter((e) => e.type === "chat.turn.interrupting")).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({
      type: "chat.turn.interrupted",
      data: { reason: "user" },
    });
    expect(engine.provider.commands.filter((c) => c.startsWith(first.turnId ?? ""))).toHaveLength(
      3,
    );
    await engine.client.sendMessage("i1", { text: "reply after" });
    await waitUntil(
      async () => (await engine.client.getChat("i1")).chat.counters.completed === 1,
      "the next message works",
    );
  });

  it("deletes a running chat: gone from the API, its turn interrupted and its queue dropped", async () => {
    await engine.client.createChat({ chatId: "d1", provider: "claude" });
    await engine.client.sendMessage("d1", { text: "sleep 60000" });
    await engine.client.sendMessage("d1", { text: "reply never", messageId: "d1-later" });
    await waitUntil(
      async () => (await engine.client.getChat("d1")).chat.status === "running",
      "the turn runs",
    );
    const deleted = await engine.client.deleteChat("d1");
    expect(deleted.deleted).toBe(true);
    expect(await rejection(engine.client.getChat("d1"))).toMatchObject({ status: 404 });
    expect(await rejection(engine.client.history("d1"))).toMatchObject({ status: 404 });
    expect(await rejection(engine.client.sendMessage("d1", { text: "x" }))).toMatchObject({
      status: 404,
    });
    expect((await engine.client.allChats()).map((c) => c.chatId)).not.toContain("d1");
    const types = (await eventsSoFar("d1")).map((e) => e.type);
    expect(types.slice(-3)).toEqual([
      "chat.turn.interrupted",
      "chat.message.dropped",
      "chat.deleted",
    ]);
    expect(engine.provider.released).toContain("d1");
  });

  it("history lists items in order, with positions to page from", async () => {
    await engine.client.createChat({ chatId: "h1", provider: "claude" });
    await engine.client.sendMessage("h1", { text: "reply alpha beta" });
    await engine.client.sendMessage("h1", { text: "reply gamma" });
    await waitUntil(
      async () => (await engine.client.getChat("h1")).chat.counters.completed === 2,
      "both turns complete",
    );
    const all = await engine.client.history("h1");
    expect(all.items.map((i) => i.item)).toEqual([
      { type: "user_message", text: "reply alpha beta" },
      { type: "assistant_text", text: "alpha beta" },
      { type: "user_message", text: "reply gamma" },
      { type: "assistant_text", text: "gamma" },
    ]);
    const page = await engine.client.history("h1", { after: all.items[1]!.position, limit: 1 });
    expect(page.items.map((i) => i.item)).toEqual([{ type: "user_message", text: "reply gamma" }]);
  });

  it("runs 20 chats at once", async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `p${i}`);
    await Promise.all(
      ids.map((chatId) => engine.client.createChat({ chatId, provider: "claude" })),
    );
    // Turns that last until interrupted: all 20 are running at once however slow the machine.
    await Promise.all(ids.map((chatId) => engine.client.sendMessage(chatId, { text: "silent" })));
    const running = (await engine.client.allChats()).filter(
      (c) => ids.includes(c.chatId) && c.status === "running",
    );
    expect(running).toHaveLength(20);
    await Promise.all(
      ids.map((chatId) => engine.client.sendMessage(chatId, { text: `reply ${chatId}` })),
    );
    await Promise.all(ids.map((chatId) => engine.client.interrupt(chatId)));
    await waitUntil(
      async () =>
        (await engine.client.allChats()).filter(
          (c) =>
            ids.includes(c.chatId) && c.counters.interrupted === 1 && c.counters.completed === 1,
        ).length === 20,
      "every chat's first turn is interrupted and its second completes",
    );
  });

  it("/debug/actors shows the actors of the chats at work; a resting chat has none", async () => {
    const actors = async () =>
      (
        await engine.client.get<{
          actors: { chatId: string; value: unknown; status: string }[];
        }>("/debug/actors")
      ).actors;
    const { chat } = await engine.client.createChat({ provider: "claude" });
    expect((await actors()).map((a) => a.chatId)).not.toContain(chat.chatId);
    await engine.client.interrupt(chat.chatId);
    expect((await actors()).map((a) => a.chatId)).not.toContain(chat.chatId);
    await engine.client.sendMessage(chat.chatId, { text: "sleep 60000" });
    expect((await actors()).find((a) => a.chatId === chat.chatId)).toMatchObject({
      value: { running: "active" },
      status: "active",
    });
    await engine.client.interrupt(chat.chatId);
    await waitUntil(
      async () => (await engine.client.getChat(chat.chatId)).chat.counters.interrupted === 1,
      "the turn is interrupted",
    );
    expect((await actors()).map((a) => a.chatId)).not.toContain(chat.chatId);
  });
});
