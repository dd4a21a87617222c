import type { ReadModelReader } from "../../projections/read-model-reader.js";
import {
  type Catalogue,
  catalogue as defaultCatalogue,
  type EngineEvent,
} from "../events/catalogue.js";
import { CommitNotifier } from "./commit-notifier.js";
import { migrate } from "./migrate.js";
import { newEventId } from "./new-event-id.js";
import { type Db, openDatabase } from "./open-database.js";
import { readLastPosition } from "./read-last-position.js";

/** What every append runs inside its transaction: the inline projections (src/read-models). */
export interface InlineProjections {
  /** Writes the events' documents and checkpoints; returns the step that publishes the caches. */
  stage(events: readonly EngineEvent[]): () => void;
}

/**
 * Everything the log operations share: the database, the catalogue, the commit notifier, and
 * the inline projections each append runs. The default `ReadModels` type also reads documents,
 * for the modules that still take the whole log instead of a narrow port (chats, workspace).
 */
export interface EventLog<
  ReadModels extends InlineProjections = InlineProjections & ReadModelReader,
> {
  readonly db: Db;
  readonly epoch: string;
  readonly catalogue: Catalogue;
  readonly readModels: ReadModels;
  readonly commits: CommitNotifier;
  readonly now: () => Date;
  readonly newEventId: () => string;
  close(): void;
}

export interface OpenEventLogOptions<ReadModels extends InlineProjections> {
  path: string;
  /** Builds the inline projections over the opened database. */
  readModels: (db: Db) => ReadModels;
  catalogue?: Catalogue;
  now?: () => Date;
  newEventId?: () => string;
  migrationsDir?: string;
}

export type OpenEventLogResult<ReadModels extends InlineProjections> =
  | { ok: true; log: EventLog<ReadModels> }
  | { ok: false; message: string };

/** Opens the database, applies migrations and returns the log context (read models not yet caught up). */
export function openEventLog<ReadModels extends InlineProjections>(
  options: OpenEventLogOptions<ReadModels>,
): OpenEventLogResult<ReadModels> {
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
      readModels: options.readModels(db),
      commits: new CommitNotifier(readLastPosition(db)),
      now: options.now ?? (() => new Date()),
      newEventId: options.newEventId ?? newEventId,
      close: () => db.close(),
    },
  };
}
