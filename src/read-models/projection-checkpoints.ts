import type { Db } from "../log/open-database.js";

export interface ProjectionCheckpoint {
  name: string;
  version: number;
  position: number;
}

/** Where each inline projection stands; written in the same transaction as its documents. */
export function projectionCheckpoints(db: Db) {
  const get = db.prepare<[string], ProjectionCheckpoint>(
    "SELECT name, version, position FROM projection_checkpoints WHERE name = ?",
  );
  const all = db.prepare<[], ProjectionCheckpoint>(
    "SELECT name, version, position FROM projection_checkpoints ORDER BY name",
  );
  const put = db.prepare(
    `INSERT INTO projection_checkpoints (name, version, position) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position`,
  );
  const remove = db.prepare("DELETE FROM projection_checkpoints WHERE name = ?");
  const advanceAll = db.prepare("UPDATE projection_checkpoints SET position = ?");
  return {
    get: (name: string) => get.get(name),
    /** Moves every checkpoint to `position` in one statement (all inline projections advance together). */
    advanceAll: (position: number) => void advanceAll.run(position),
    all: () => all.all(),
    put: (c: ProjectionCheckpoint) => void put.run(c.name, c.version, c.position),
    remove: (name: string) => void remove.run(name),
  };
}
