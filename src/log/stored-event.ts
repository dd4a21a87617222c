import type { Catalogue, EngineEvent } from "../events/catalogue.js";

/** An events row as SQLite returns it. */
export interface StoredEventRow {
  position: number;
  event_id: string;
  stream: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: string;
  recorded_at: string;
}

export const eventColumns =
  "position, event_id, stream, stream_version, type, schema_version, data, recorded_at";

/** Decodes a row, passing data of an older schema version through the upcasters. */
export function decodeEvent(catalogue: Catalogue, row: StoredEventRow): EngineEvent {
  let schemaVersion = row.schema_version;
  let data: unknown = JSON.parse(row.data);
  // Most rows are current: they skip the upcast call and the object it answers with.
  if (catalogue.isOutdated(row.type, schemaVersion)) {
    ({ schemaVersion, data } = catalogue.upcast(row.type, schemaVersion, data));
  }
  return {
    position: row.position,
    eventId: row.event_id,
    stream: row.stream,
    streamVersion: row.stream_version,
    type: row.type,
    schemaVersion,
    data,
    recordedAt: row.recorded_at,
  } as EngineEvent;
}

/**
 * The event's wire JSON. When no upcast applies, the stored data is spliced in as it is, so
 * streaming a row costs no parse and no re-serialisation.
 */
export function encodeEventJson(catalogue: Catalogue, row: StoredEventRow): string {
  if (catalogue.isOutdated(row.type, row.schema_version)) {
    return JSON.stringify(decodeEvent(catalogue, row));
  }
  return `{"position":${row.position},"eventId":${JSON.stringify(row.event_id)},"stream":${JSON.stringify(row.stream)},"streamVersion":${row.stream_version},"type":${JSON.stringify(row.type)},"schemaVersion":${row.schema_version},"data":${row.data},"recordedAt":${JSON.stringify(row.recorded_at)}}`;
}
