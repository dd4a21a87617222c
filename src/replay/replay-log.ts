import { type Documents, foldEvents } from "../../projections/fold.js";
import type { AnyProjection } from "../../projections/projection.js";
import type { Catalogue } from "../events/catalogue.js";
import type { Db } from "../log/open-database.js";
import { readEventsBatch } from "../log/read-events-batch.js";
import { decodeEvent } from "../log/stored-event.js";

export interface ReplayResult {
  documents: Map<string, Documents>;
  events: number;
  position: number;
  millis: number;
}

/** Folds every projection from the log alone, up to an optional position, in memory. */
export function replayLog(
  db: Db,
  catalogue: Catalogue,
  projections: readonly AnyProjection[],
  until?: number,
): ReplayResult {
  const started = performance.now();
  const documents = new Map<string, Documents>(projections.map((p) => [p.name, new Map()]));
  let position = 0;
  let events = 0;
  for (;;) {
    const rows = readEventsBatch(db, { after: position, limit: 10_000, until });
    if (rows.length === 0) break;
    const page = rows.map((row) => decodeEvent(catalogue, row));
    for (const p of projections) foldEvents(p, page, documents.get(p.name));
    position = page.at(-1)?.position ?? position;
    events += page.length;
  }
  return { documents, events, position, millis: performance.now() - started };
}
