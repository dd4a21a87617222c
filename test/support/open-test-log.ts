import { join } from "node:path";
import { projections } from "../../projections/all.js";
import type { AnyProjection } from "../../projections/projection.js";
import type { Catalogue } from "../../src/events/catalogue.js";
import { catchUpReadModels } from "../../src/read-models/catch-up.js";
import { type EngineLog, openEngineLog } from "../../src/read-models/open-engine-log.js";

/** A real event log in a SQLite file under `dir`, migrated and caught up as at boot. */
export function openTestLog(
  dir: string,
  options: { catalogue?: Catalogue; projections?: readonly AnyProjection[]; file?: string } = {},
): EngineLog {
  const opened = openEngineLog({
    path: join(dir, options.file ?? "engine.db"),
    projections: options.projections ?? projections,
    catalogue: options.catalogue,
  });
  if (!opened.ok) throw new Error(opened.message);
  catchUpReadModels(opened.log);
  return opened.log;
}
