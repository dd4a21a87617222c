import { describe, expect, it } from "vitest";
import { chatsProjection } from "../../projections/chats.js";
import { openTestLog } from "../../test/support/open-test-log.js";
import { useTempDir } from "../../test/support/temp-dir.js";
import type { NewEvent } from "../events/catalogue.js";
import { AppendGroup, type GroupedAppendResult } from "./append-group.js";
import { appendToStream } from "./append-to-stream.js";
import { readEventsBatch } from "./read-events-batch.js";
import { readStream } from "./read-stream.js";

const tempDir = useTempDir();

const created = (chatId: string): NewEvent => ({
  type: "chat.created",
  data: { chatId, provider: "claude", title: null, cwd: "/w", settings: {} },
});
const delta = (chatId: string, text: string): NewEvent => ({
  type: "chat.item.delta",
  data: { chatId, turnId: "t1", itemId: "i1", kind: "assistant_text", text },
});

/** Resolves once the group's `setImmediate` flush has run. */
const endOfTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A log with chats a and b created, a group on it, and what its listeners and batches hear. */
function setup() {
  const log = openTestLog(tempDir());
  for (const id of ["a", "b"]) appendToStream(log, `chat:${id}`, [created(id)]);
  const notified: number[] = [];
  log.commits.subscribe((position) => notified.push(position));
  const answers: string[] = [];
  const answer = (label: string) => (result: GroupedAppendResult) =>
    answers.push(`${label}:${result.ok ? result.streamVersion : result.error.code}`);
  return { log, group: new AppendGroup(log), notified, answers, answer };
}

const texts = (log: ReturnType<typeof setup>["log"], stream: string) =>
  readStream(log, stream)
    .slice(1)
    .map((e) => (e.data as { text: string }).text);

describe("AppendGroup", () => {
  it("given batches of two streams queued in one turn, commits them together at its end, in order, and notifies once", async () => {
    const { log, group, notified, answers, answer } = setup();
    group.queue("chat:a", [delta("a", "a1")], { expectedVersion: 1 }, answer("a1"));
    group.queue("chat:b", [delta("b", "b1")], { expectedVersion: 1 }, answer("b1"));
    group.queue("chat:a", [delta("a", "a2")], { expectedVersion: 2 }, answer("a2"));
    expect([texts(log, "chat:a"), answers]).toEqual([[], []]);

    await endOfTurn();

    expect(texts(log, "chat:a")).toEqual(["a1", "a2"]);
    expect(texts(log, "chat:b")).toEqual(["b1"]);
    const positions = readEventsBatch(log.db, { after: 2, limit: 10 }).map((e) => e.stream);
    expect(positions).toEqual(["chat:a", "chat:b", "chat:a"]);
    expect(answers).toEqual(["a1:2", "b1:2", "a2:3"]);
    expect(notified).toEqual([5]);
    log.close();
  });

  it("given a stale expected version, that batch and its stream's later ones fail, in order; the other stream commits", async () => {
    const { log, group, answers, answer } = setup();
    group.queue("chat:a", [delta("a", "a1")], { expectedVersion: 7 }, answer("a1"));
    group.queue("chat:b", [delta("b", "b1")], { expectedVersion: 1 }, answer("b1"));
    group.queue("chat:a", [delta("a", "a2")], { expectedVersion: "any" }, answer("a2"));

    await endOfTurn();

    expect(answers).toEqual(["a1:version_conflict", "b1:2", "a2:earlier_batch_failed"]);
    expect(texts(log, "chat:a")).toEqual([]);
    expect(texts(log, "chat:b")).toEqual(["b1"]);
    log.close();
  });

  it("given a batch the catalogue refuses, answers it at once and queues nothing", async () => {
    const { log, group, answers, answer } = setup();
    const refused = group.queue(
      "chat:a",
      [{ type: "chat.item.delta", data: { chatId: "a" } } as NewEvent],
      { expectedVersion: 1 },
      answer("bad"),
    );
    expect(refused).toMatchObject({ ok: false, error: { code: "invalid_event", index: 0 } });
    await endOfTurn();
    expect([answers, texts(log, "chat:a")]).toEqual([[], []]);
    log.close();
  });

  it("appendNow commits the queued batches with its own in one transaction and answers at once", () => {
    const { log, group, notified, answers, answer } = setup();
    group.queue("chat:b", [delta("b", "b1")], { expectedVersion: 1 }, answer("b1"));
    const queued: NewEvent = {
      type: "chat.message.queued",
      data: { chatId: "a", messageId: "m1", text: "hi", settings: {} },
    };

    const result = group.appendNow("chat:a", [queued], { expectedVersion: 1 });

    expect(result).toMatchObject({ ok: true, streamVersion: 2, duplicate: false });
    expect(answers).toEqual(["b1:2"]);
    expect(notified).toEqual([4]);
    // The inline read models saw both streams' events in the one commit.
    expect(log.readModels.get(chatsProjection, "a")).toBeDefined();
    expect(readStream(log, "chat:a").map((e) => e.type)).toEqual([
      "chat.created",
      "chat.message.queued",
    ]);
    log.close();
  });

  it("given a batch that makes the transaction throw, tries each batch alone: only that one fails", async () => {
    const { log, group, answers, answer } = setup();
    group.queue("chat:a", [delta("a", "a1")], { expectedVersion: 1 }, answer("a1"));
    // Two events with one id: the insert of the second breaks the UNIQUE constraint.
    const twice = { ...delta("b", "b1"), eventId: "same-id" } as NewEvent;
    group.queue("chat:b", [twice, twice], { expectedVersion: 1 }, answer("b1"));
    group.queue("chat:b", [delta("b", "b2")], { expectedVersion: 1 }, answer("b2"));
    group.queue("chat:a", [delta("a", "a2")], { expectedVersion: 2 }, answer("a2"));

    await endOfTurn();

    expect(answers).toEqual(["a1:2", "b1:append_failed", "b2:earlier_batch_failed", "a2:3"]);
    expect(texts(log, "chat:a")).toEqual(["a1", "a2"]);
    expect(texts(log, "chat:b")).toEqual([]);
    log.close();
  });

  it("flush commits what is queued now, so a shutdown that closes the log loses nothing", () => {
    const dir = tempDir();
    const log = openTestLog(dir);
    appendToStream(log, "chat:a", [created("a")]);
    const group = new AppendGroup(log);
    group.queue("chat:a", [delta("a", "last words")], { expectedVersion: 1 }, () => {});

    group.flush();
    log.close();

    const reopened = openTestLog(dir);
    expect(texts(reopened, "chat:a")).toEqual(["last words"]);
    reopened.close();
  });
});
