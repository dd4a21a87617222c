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
  const expected = options.expectedVersion ?? "any";
  const validated: {
    type: string;
    schemaVersion: number;
    json: string;
    data: unknown;
    eventId: string;
  }[] = [];
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
  const insert = prepareCached(
    log.db,
    "INSERT INTO events (event_id, stream, stream_version, type, schema_version, data, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  const findById = prepareCached<[string], StoredEventRow>(
    log.db,
    `SELECT ${eventColumns} FROM events WHERE event_id = ?`,
  );

  // Ids the log generated now cannot be stored already; only ids a caller chose are looked up.
  const callerChoseIds = events.some((event) => event.eventId !== undefined);

  const write = (): { result: AppendResult; publish: () => void } => {
    const known = callerChoseIds ? validated.map((e) => findById.get(e.eventId)) : [];
    if (known.some(Boolean)) {
      const stored = known.filter((row): row is StoredEventRow => row !== undefined);
      const sameBatch =
        stored.length === validated.length && stored.every((row) => row.stream === stream);
      if (!sameBatch) {
        const eventId = stored[0]?.event_id ?? "";
        return {
          result: {
            ok: false,
            error: {
              code: "duplicate_event_id",
              eventId,
              message: `event id ${eventId} is already stored in another batch`,
            },
          },
          publish: () => {},
        };
      }
      const decoded = stored.map((row) => decodeEvent(log.catalogue, row));
      return {
        result: {
          ok: true,
          events: decoded,
          streamVersion: readStreamVersion(log, stream),
          lastPosition: decoded.at(-1)?.position ?? 0,
          duplicate: true,
        },
        publish: () => {},
      };
    }
    const actual = readStreamVersion(log, stream);
    if (!versionMatches(expected, actual)) {
      return {
        result: { ok: false, error: { code: "version_conflict", stream, expected, actual } },
        publish: () => {},
      };
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
    const publish = log.readModels.stage(recorded);
    return {
      result: {
        ok: true,
        events: recorded,
        streamVersion: actual + recorded.length,
        lastPosition: recorded.at(-1)?.position ?? 0,
        duplicate: false,
      },
      publish,
    };
  };

  const { result, publish } = immediateTransaction(log.db, write);
  publish();
  if (result.ok && !result.duplicate && result.events.length > 0)
    log.commits.notify(result.lastPosition);
  return result;
}
