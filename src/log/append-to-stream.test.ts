import { describe, expect, it } from "vitest";
import { chatsProjection } from "../../projections/chats.js";
import { openTestLog } from "../../test/support/open-test-log.js";
import { useTempDir } from "../../test/support/temp-dir.js";
import type { NewEvent } from "../events/catalogue.js";
import { appendToStream } from "./append-to-stream.js";
import { readEventsBatch } from "./read-events-batch.js";
import { readStream } from "./read-stream.js";

const tempDir = useTempDir();
const created = (chatId: string): NewEvent => ({
  type: "chat.created",
  data: { chatId, provider: "codex", title: null, cwd: "/w", settings: {} },
});
const queued = (chatId: string, messageId: string): NewEvent => ({
  type: "chat.message.queued",
  data: { chatId, messageId, text: "hello", settings: {} },
});

describe("appendToStream", () => {
  it("stores a batch with consecutive stream versions and increasing positions", () => {
    const log = openTestLog(tempDir());
    const result = appendToStream(log, "chat:a", [created("a"), queued("a", "m1")], {
      expectedVersion: "no_stream",
    });
    expect(result).toMatchObject({ ok: true, streamVersion: 2, duplicate: false });
    const events = readStream(log, "chat:a");
    expect(events.map((e) => [e.type, e.streamVersion])).toEqual([
      ["chat.created", 1],
      ["chat.message.queued", 2],
    ]);
    expect(events[1]!.position).toBeGreaterThan(events[0]!.position);
    log.close();
  });

  it("returns a typed conflict when the expected version is stale, and stores nothing", () => {
    const log = openTestLog(tempDir());
    appendToStream(log, "chat:a", [created("a")], { expectedVersion: "no_stream" });
    const result = appendToStream(log, "chat:a", [queued("a", "m1")], { expectedVersion: 0 });
    expect(result).toEqual({
      ok: false,
      error: { code: "version_conflict", stream: "chat:a", expected: 0, actual: 1 },
    });
    expect(readStream(log, "chat:a")).toHaveLength(1);
    expect(appendToStream(log, "chat:a", [created("a")], { expectedVersion: "no_stream" }).ok).toBe(
      false,
    );
    log.close();
  });

  it("a repeated batch with the same event ids is stored once and answered with the stored events", () => {
    const log = openTestLog(tempDir());
    const batch: NewEvent[] = [
      { ...created("a"), eventId: "e-1" },
      { ...queued("a", "m1"), eventId: "e-2" },
    ];
    const first = appendToStream(log, "chat:a", batch);
    const again = appendToStream(log, "chat:a", batch);
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.duplicate).toBe(true);
    expect(again.events.map((e) => e.position)).toEqual(first.events.map((e) => e.position));
    expect(readEventsBatch(log.db, { after: 0, limit: 10 })).toHaveLength(2);
    log.close();
  });

  it("an event id reused in a different batch is refused", () => {
    const log = openTestLog(tempDir());
    appendToStream(log, "chat:a", [{ ...created("a"), eventId: "e-1" }]);
    const result = appendToStream(log, "chat:b", [{ ...created("b"), eventId: "e-1" }]);
    expect(result).toMatchObject({
      ok: false,
      error: { code: "duplicate_event_id", eventId: "e-1" },
    });
    log.close();
  });

  it("refuses an event that fails its schema, naming the field, and stores no part of the batch", () => {
    const log = openTestLog(tempDir());
    const bad = {
      type: "chat.created",
      data: { chatId: "a", provider: "gemini", title: null, cwd: "/w", settings: {} },
    };
    const result = appendToStream(log, "chat:a", [created("x"), bad as NewEvent]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: "invalid_event", index: 1, path: "provider" });
    expect(result.error.code === "invalid_event" && result.error.message).toContain(
      'field "provider"',
    );
    expect(readEventsBatch(log.db, { after: 0, limit: 10 })).toHaveLength(0);
    log.close();
  });

  it("refuses an unknown event type", () => {
    const log = openTestLog(tempDir());
    const result = appendToStream(log, "x", [
      { type: "chat.exploded", data: {} } as unknown as NewEvent,
    ]);
    expect(result).toMatchObject({
      ok: false,
      error: { code: "invalid_event", message: 'unknown event type "chat.exploded"' },
    });
    log.close();
  });

  it("updates the inline read models and their checkpoints in the same commit", () => {
    const log = openTestLog(tempDir());
    const result = appendToStream(log, "chat:a", [created("a"), queued("a", "m1")]);
    expect(log.readModels.get(chatsProjection, "a")?.queue).toHaveLength(1);
    const position = result.ok ? result.lastPosition : -1;
    for (const checkpoint of log.readModels.checkpoints.all())
      expect(checkpoint.position).toBe(position);
    expect(log.commits.position).toBe(position);
    log.close();
  });

  it("notifies listeners after the commit, not for refused appends", () => {
    const log = openTestLog(tempDir());
    const heard: number[] = [];
    log.commits.subscribe((p) => heard.push(p));
    appendToStream(log, "chat:a", [created("a")]);
    appendToStream(log, "chat:a", [created("a")], { expectedVersion: "no_stream" });
    expect(heard).toEqual([1]);
    log.close();
  });

  it("the log refuses UPDATE and DELETE", () => {
    const log = openTestLog(tempDir());
    appendToStream(log, "chat:a", [created("a")]);
    expect(() => log.db.prepare("UPDATE events SET type = 'x'").run()).toThrow(/append-only/);
    expect(() => log.db.prepare("DELETE FROM events").run()).toThrow(/append-only/);
    expect(() =>
      log.db.prepare("UPDATE store_meta SET value = 'x' WHERE key = 'epoch'").run(),
    ).toThrow(/written once/);
    log.close();
  });

  it("reads the log by position in pages and filters by stream and type", () => {
    const log = openTestLog(tempDir());
    for (const id of ["a", "b", "c"])
      appendToStream(log, `chat:${id}`, [created(id), queued(id, `m-${id}`)]);
    const page1 = readEventsBatch(log.db, { after: 0, limit: 4 });
    const page2 = readEventsBatch(log.db, { after: page1.at(-1)!.position, limit: 4 });
    expect([...page1, ...page2].map((r) => r.position)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(
      readEventsBatch(log.db, { after: 0, limit: 10, streams: ["chat:b"] }).map((r) => r.stream),
    ).toEqual(["chat:b", "chat:b"]);
    expect(
      readEventsBatch(log.db, { after: 0, limit: 10, types: ["chat.message.queued"] }),
    ).toHaveLength(3);
    log.close();
  });
});
