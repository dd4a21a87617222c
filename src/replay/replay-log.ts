import { type Documents, documentFolder } from "../../projections/fold.js";
import type { AnyProjection } from "../../projections/projection.js";
import type { Catalogue, EngineEvent } from "../events/catalogue.js";
import type { Db } from "../log/open-database.js";
import { iterateEventsBatch } from "../log/read-events-batch.js";
import { decodeEvent } from "../log/stored-event.js";

export interface ReplayResult {
  documents: Map<string, Documents>;
  events: number;
  position: number;
  millis: number;
}

const PAGE = 10_000;

/**
 * Folds every projection from the log alone, up to an optional position, in memory. Rows are
 * decoded one at a time and each event goes only to the projections that handle its type: a
 * page held whole (rows and decoded events) outlived the young generation and made most of the
 * replay's time garbage collection.
 */
export function replayLog(
  db: Db,
  catalogue: Catalogue,
  projections: readonly AnyProjection[],
  until?: number,
): ReplayResult {
  const started = performance.now();
  const documents = new Map<string, Documents>();
  const folds = new Map<string, ((event: EngineEvent) => void)[]>();
  for (const p of projections) {
    const docs: Documents = new Map();
    documents.set(p.name, docs);
    const fold = documentFolder(p, docs);
    for (const type of p.handles) folds.set(type, [...(folds.get(type) ?? []), fold]);
  }
  let position = 0;
  let events = 0;
  for (let seen = PAGE; seen === PAGE; ) {
    seen = 0;
    for (const row of iterateEventsBatch(db, { after: position, limit: PAGE, until })) {
      const event = decodeEvent(catalogue, row);
      for (const fold of folds.get(event.type) ?? []) fold(event);
      position = event.position;
      seen++;
    }
    events += seen;
  }
  return { documents, events, position, millis: performance.now() - started };
}
