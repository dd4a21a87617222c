import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import type {
  CheckpointStore,
  EngineEventLike,
  WebhookSource,
} from "../../src/upstream/webhook/webhook-source.js";

interface Row {
  position: number;
  event_id: string;
  stream: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: string;
  recorded_at: string;
}

export interface TinyLog {
  source: WebhookSource;
  checkpoints: CheckpointStore;
  append(type: string, data: unknown, stream?: string): EngineEventLike;
  all(): EngineEventLike[];
  close(): void;
}

/**
 * A tiny event log in a real SQLite file, standing in for the engine's log: the same columns,
 * AUTOINCREMENT positions, a checkpoints table, and commit listeners called after each insert.
 */
export function openTinyLog(file: string): TinyLog {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.exec(`
    CREATE TABLE IF NOT EXISTS events (
      position INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id TEXT NOT NULL UNIQUE,
      stream TEXT NOT NULL,
      stream_version INTEGER NOT NULL,
      type TEXT NOT NULL,
      schema_version INTEGER NOT NULL,
      data TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      UNIQUE (stream, stream_version)
    );
    CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL);
  `);
  const listeners = new Set<(position: number) => void>();
  const insert = db.prepare(
    `INSERT INTO events (event_id, stream, stream_version, type, schema_version, data, recorded_at)
     VALUES (?, ?, (SELECT COALESCE(MAX(stream_version), 0) + 1 FROM events WHERE stream = ?), ?, 1, ?, ?)
     RETURNING *`,
  );
  const after = db.prepare("SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?");
  const last = db.prepare("SELECT COALESCE(MAX(position), 0) AS position FROM events");
  const load = db.prepare("SELECT position FROM checkpoints WHERE name = ?");
  const save = db.prepare(
    "INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position",
  );
  const decode = (row: Row): EngineEventLike => ({
    position: row.position,
    eventId: row.event_id,
    stream: row.stream,
    streamVersion: row.stream_version,
    type: row.type,
    schemaVersion: row.schema_version,
    data: JSON.parse(row.data),
    recordedAt: row.recorded_at,
  });
  return {
    source: {
      readAfter: (position, limit) => (after.all(position, limit) as Row[]).map(decode),
      lastPosition: () => (last.get() as { position: number }).position,
      onCommit(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    checkpoints: {
      load: (name) => (load.get(name) as { position: number } | undefined)?.position ?? 0,
      save: (name, position) => {
        save.run(name, position);
      },
    },
    append(type, data, stream = "test") {
      const row = insert.get(
        randomUUID(),
        stream,
        stream,
        type,
        JSON.stringify(data),
        new Date().toISOString(),
      ) as Row;
      for (const listener of listeners) listener(row.position);
      return decode(row);
    },
    all: () => (after.all(0, 1_000_000) as Row[]).map(decode),
    close: () => db.close(),
  };
}
