import { readEventsBatch } from "../log/read-events-batch.js";
import { readLastPosition } from "../log/read-last-position.js";
import { decodeEvent } from "../log/stored-event.js";
import type { EngineLog } from "./open-engine-log.js";

export interface CatchUpReport {
  rebuilt: string[];
  /** Events folded into the rebuilt projections (each reads only the types it handles). */
  applied: number;
}

/**
 * Brings every inline projection up to the end of the log at boot. Normally each checkpoint is
 * already there (it commits with the events), so boot reads nothing; a projection whose version
 * changed is emptied and refolded from the start, page by page, each page in its own transaction,
 * reading only the event types it handles. The documents of a projection the engine no longer
 * has (its checkpoint names it) are deleted, so they never linger unread.
 */
export function catchUpReadModels(
  log: Pick<EngineLog, "db" | "catalogue" | "readModels">,
  pageSize = 5_000,
): CatchUpReport {
  const { db, readModels } = log;
  const report: CatchUpReport = { rebuilt: [], applied: 0 };
  const registered = new Set(readModels.projections.map((p) => p.name));
  for (const { name } of readModels.checkpoints.all()) {
    if (registered.has(name)) continue;
    db.transaction(() => {
      readModels.documents.removeAll(name);
      readModels.checkpoints.remove(name);
    })();
  }
  const head = readLastPosition(db);
  for (const projection of readModels.projections) {
    const checkpoint = readModels.checkpoints.get(projection.name);
    let position = checkpoint?.position ?? 0;
    if (!checkpoint || checkpoint.version !== projection.version) {
      db.transaction(() => {
        readModels.documents.removeAll(projection.name);
        readModels.checkpoints.put({
          name: projection.name,
          version: projection.version,
          position: 0,
        });
      })();
      position = 0;
      // A first boot has no checkpoint yet: that is a build, not a changed projection.
      if (checkpoint) report.rebuilt.push(projection.name);
    }
    if (position >= head) continue;
    for (;;) {
      const rows = readEventsBatch(db, {
        after: position,
        limit: pageSize,
        types: projection.handles,
      });
      if (rows.length === 0) break;
      const events = rows.map((row) => decodeEvent(log.catalogue, row));
      db.transaction(() => readModels.stage(events, [projection]))();
      position = events.at(-1)?.position ?? position;
      report.applied += events.length;
    }
    // The events after its last handled one are not its: it stands at the end of the log too.
    if (position < head) {
      readModels.checkpoints.put({
        name: projection.name,
        version: projection.version,
        position: head,
      });
    }
  }
  readModels.loadCaches();
  return report;
}
