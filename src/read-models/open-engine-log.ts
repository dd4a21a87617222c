import type { AnyProjection } from "../../projections/projection.js";
import { catalogue as defaultCatalogue } from "../events/catalogue.js";
import { type EventLog, type OpenEventLogOptions, openEventLog } from "../log/event-log.js";
import { ReadModels } from "./read-models.js";

/** The engine's event log with its inline read models. */
export type EngineLog = EventLog<ReadModels>;

export type OpenEngineLogResult = { ok: true; log: EngineLog } | { ok: false; message: string };

/** Opens the log with these projections run inline (not yet caught up: see catchUpReadModels). */
export function openEngineLog(
  options: Omit<OpenEventLogOptions<ReadModels>, "readModels"> & {
    projections: readonly AnyProjection[];
  },
): OpenEngineLogResult {
  const { projections, ...rest } = options;
  const catalogue = rest.catalogue ?? defaultCatalogue;
  return openEventLog({
    ...rest,
    readModels: (db) => new ReadModels(db, projections, catalogue),
  });
}
