import type { Projection } from "../../projections/projection.js";
import { type Catalogue, catalogue as defaultCatalogue } from "../events/catalogue.js";
import { ReadModels } from "../read-models/read-models.js";
import { CommitNotifier } from "./commit-notifier.js";
import { migrate } from "./migrate.js";
import { newEventId } from "./new-event-id.js";
import { type Db, openDatabase } from "./open-database.js";
import { readLastPosition } from "./read-last-position.js";

/** Everything the log operations share: the database, the catalogue, the inline read models. */
export interface EventLog {
  readonly db: Db;
  readonly epoch: string;
  readonly catalogue: Catalogue;
  readonly readModels: ReadModels;
  readonly commits: CommitNotifier;
  readonly now: () => Date;
  readonly newEventId: () => string;
  close(): void;
}

export interface OpenEventLogOptions {
  path: string;
  projections: readonly Projection[];
  catalogue?: Catalogue;
  now?: () => Date;
  newEventId?: () => string;
  migrationsDir?: string;
}

export type OpenEventLogResult = { ok: true; log: EventLog } | { ok: false; message: string };

/** Opens the database, applies migrations and returns the log context (read models not yet caught up). */
export function openEventLog(options: OpenEventLogOptions): OpenEventLogResult {
  const db = openDatabase(options.path);
  const migrated = migrate(db, options.migrationsDir);
  if (!migrated.ok) {
    db.close();
    return { ok: false, message: migrated.message };
  }
  const epoch = db
    .prepare<[], { value: string }>("SELECT value FROM store_meta WHERE key = 'epoch'")
    .get();
  if (!epoch) {
    db.close();
    return {
      ok: false,
      message: "store_meta has no epoch: the database was not created by this engine",
    };
  }
  return {
    ok: true,
    log: {
      db,
      epoch: epoch.value,
      catalogue: options.catalogue ?? defaultCatalogue,
      readModels: new ReadModels(db, options.projections),
      commits: new CommitNotifier(readLastPosition(db)),
      now: options.now ?? (() => new Date()),
      newEventId: options.newEventId ?? newEventId,
      close: () => db.close(),
    },
  };
}
