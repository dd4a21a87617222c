import type { EngineEvent, NewEvent } from "../events/catalogue.js";
import type { EventLog, InlineProjections } from "./event-log.js";
import { immediateTransaction } from "./immediate-transaction.js";
import { prepareCached } from "./prepare-cached.js";
import { readStreamVersion } from "./read-stream.js";
import { decodeEvent, eventColumns, type StoredEventRow } from "./stored-event.js";

/** What the stream's version must be for the append to go ahead. */
export type ExpectedVersion = number | "any" | "no_stream";

export type AppendError =
  | { code: "version_conflict"; stream: string; expected: ExpectedVersion; actual: number }
  | { code: "invalid_event"; index: number; type: string; path: string | null; message: string }
  | { code: "duplicate_event_id"; eventId: string; message: string };

export type AppendResult =
  | {
      ok: true;
      events: EngineEvent[];
      streamVersion: number;
      lastPosition: number;
      duplicate: boolean;
    }
  | { ok: false; error: AppendError };

function versionMatches(expected: ExpectedVersion, actual: number): boolean {
  if (expected === "any") return true;
  if (expected === "no_stream") return actual === 0;
  return expected === actual;
}

/** An event the catalogue accepted, ready to insert. */
export interface ValidatedEvent {
  type: string;
  schemaVersion: number;
  json: string;
  data: unknown;
  eventId: string;
}

/** A batch whose every event the catalogue accepted. */
export interface ValidatedBatch {
  events: ValidatedEvent[];
  /** Ids the log generated cannot be stored already; only ids a caller chose are looked up. */
  callerChoseIds: boolean;
}

/** Checks every event against the catalogue: the first one it refuses fails the batch. */
export function validateEvents(
  log: Pick<EventLog, "catalogue" | "newEventId">,
  events: readonly NewEvent[],
): { ok: true; batch: ValidatedBatch } | { ok: false; error: AppendError } {
  const validated: ValidatedEvent[] = [];
  for (const [index, event] of events.entries()) {
    const check = log.catalogue.validate(event.type, event.data);
    if (!check.ok) {
      return {
        ok: false,
        error: {
          code: "invalid_event",
          index,
          type: event.type,
          path: check.path,
          message: check.message,
        },
      };
    }
    validated.push({
      type: event.type,
      schemaVersion: check.schemaVersion,
      json: JSON.stringify(check.data),
      data: check.data,
      eventId: event.eventId ?? log.newEventId(),
    });
  }
  return {
    ok: true,
    batch: {
      events: validated,
      callerChoseIds: events.some((event) => event.eventId !== undefined),
    },
  };
}

/**
 * Appends a batch to one stream: every event valid, the stream at the expected version, then all
 * rows, the inline projections' documents and their checkpoints commit in one transaction.
 * A batch whose event ids were all stored before is answered with the stored events (an
 * idempotent retry); listeners hear of the commit only after it is durable.
 */
export function appendToStream(
  log: EventLog<InlineProjections>,
  stream: string,
  events: readonly NewEvent[],
  options: { expectedVersion?: ExpectedVersion } = {},
): AppendResult {
  const checked = validateEvents(log, events);
  if (!checked.ok) return checked;
  const { result, publish } = immediateTransaction(log.db, () => {
    const result = writeEvents(log, stream, checked.batch, options.expectedVersion ?? "any");
    const publish = result.ok && !result.duplicate ? log.readModels.stage(result.events) : noop;
    return { result, publish };
  });
  publish();
  if (result.ok && !result.duplicate && result.events.length > 0)
    log.commits.notify(result.lastPosition);
  return result;
}

const noop = () => {};

/**
 * Writes a validated batch's rows, inside a transaction the caller holds: the stream must be at
 * the expected version (a batch stored before is answered as a duplicate). It writes no read
 * model and tells no listener: the caller stages the recorded events and notifies after commit.
 */
export function writeEvents(
  log: EventLog<InlineProjections>,
  stream: string,
  batch: ValidatedBatch,
  expected: ExpectedVersion,
): AppendResult {
  const validated = batch.events;
  const insert = prepareCached(
    log.db,
    "INSERT INTO events (event_id, stream, stream_version, type, schema_version, data, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  const findById = prepareCached<[string], StoredEventRow>(
    log.db,
    `SELECT ${eventColumns} FROM events WHERE event_id = ?`,
  );

  const known = batch.callerChoseIds ? validated.map((e) => findById.get(e.eventId)) : [];
  if (known.some(Boolean)) {
    const stored = known.filter((row): row is StoredEventRow => row !== undefined);
    const sameBatch =
      stored.length === validated.length && stored.every((row) => row.stream === stream);
    if (!sameBatch) {
      const eventId = stored[0]?.event_id ?? "";
      return {
        ok: false,
        error: {
          code: "duplicate_event_id",
          eventId,
          message: `event id ${eventId} is already stored in another batch`,
        },
      };
    }
    const decoded = stored.map((row) => decodeEvent(log.catalogue, row));
    return {
      ok: true,
      events: decoded,
      streamVersion: readStreamVersion(log, stream),
      lastPosition: decoded.at(-1)?.position ?? 0,
      duplicate: true,
    };
  }
  const actual = readStreamVersion(log, stream);
  if (!versionMatches(expected, actual)) {
    return { ok: false, error: { code: "version_conflict", stream, expected, actual } };
  }
  const recordedAt = log.now().toISOString();
  const recorded = validated.map((e, i) => {
    const streamVersion = actual + i + 1;
    const info = insert.run(
      e.eventId,
      stream,
      streamVersion,
      e.type,
      e.schemaVersion,
      e.json,
      recordedAt,
    );
    return {
      position: Number(info.lastInsertRowid),
      eventId: e.eventId,
      stream,
      streamVersion,
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: e.data,
      recordedAt,
    } as EngineEvent;
  });
  return {
    ok: true,
    events: recorded,
    streamVersion: actual + recorded.length,
    lastPosition: recorded.at(-1)?.position ?? 0,
    duplicate: false,
  };
}
