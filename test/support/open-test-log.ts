import { join } from "node:path";
import { projections } from "../../projections/all.js";
import type { Projection } from "../../projections/projection.js";
import type { Catalogue } from "../../src/events/catalogue.js";
import { type EventLog, openEventLog } from "../../src/log/event-log.js";
import { catchUpReadModels } from "../../src/read-models/catch-up.js";

/** A real event log in a SQLite file under `dir`, migrated and caught up as at boot. */
export function openTestLog(
  dir: string,
  options: { catalogue?: Catalogue; projections?: readonly Projection[]; file?: string } = {},
): EventLog {
  const opened = openEventLog({
    path: join(dir, options.file ?? "engine.db"),
    projections: options.projections ?? projections,
    catalogue: options.catalogue,
  });
  if (!opened.ok) throw new Error(opened.message);
  catchUpReadModels(opened.log);
  return opened.log;
}
