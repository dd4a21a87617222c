import type { EngineEvent } from "../events/catalogue.js";
import type { EventLog } from "./event-log.js";
import { prepareCached } from "./prepare-cached.js";
import { decodeEvent, eventColumns, type StoredEventRow } from "./stored-event.js";

/** The events of one stream in version order, after an optional stream version. */
export function readStream(
  log: Pick<EventLog, "db" | "catalogue">,
  stream: string,
  afterVersion = 0,
): EngineEvent[] {
  return prepareCached<[string, number], StoredEventRow>(
    log.db,
    `SELECT ${eventColumns} FROM events WHERE stream = ? AND stream_version > ? ORDER BY stream_version`,
  )
    .all(stream, afterVersion)
    .map((row) => decodeEvent(log.catalogue, row));
}

export function readStreamVersion(log: Pick<EventLog, "db">, stream: string): number {
  const row = prepareCached<[string], { v: number | null }>(
    log.db,
    "SELECT MAX(stream_version) AS v FROM events WHERE stream = ?",
  ).get(stream);
  return row?.v ?? 0;
}
