import type { EventLog } from "../log/event-log.js";
import { readEventsBatch } from "../log/read-events-batch.js";
import { decodeEvent } from "../log/stored-event.js";

export interface CatchUpReport {
  rebuilt: string[];
  applied: number;
}

/**
 * Brings every inline projection up to the end of the log at boot. Normally each checkpoint is
 * already there (it commits with the events), so boot reads nothing; a projection whose version
 * changed is emptied and refolded from the start, page by page, each page in its own transaction.
 */
export function catchUpReadModels(log: EventLog, pageSize = 5_000): CatchUpReport {
  const { readModels } = log;
  const report: CatchUpReport = { rebuilt: [], applied: 0 };
  for (const projection of readModels.projections) {
    const checkpoint = readModels.checkpoints.get(projection.name);
    let position = checkpoint?.position ?? 0;
    if (!checkpoint || checkpoint.version !== projection.version) {
      log.db.transaction(() => {
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
    for (;;) {
      const rows = readEventsBatch(log.db, { after: position, limit: pageSize });
      if (rows.length === 0) break;
      const events = rows.map((row) => decodeEvent(log.catalogue, row));
      log.db.transaction(() => readModels.stage(events, [projection]))();
      position = events.at(-1)?.position ?? position;
      report.applied += events.length;
    }
  }
  readModels.loadCaches();
  return report;
}
