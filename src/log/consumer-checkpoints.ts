import type { Db } from "./open-database.js";

/** How far each asynchronous consumer of the log (the webhook, ...) has durably got. */
export function consumerCheckpoints(db: Db, now: () => Date = () => new Date()) {
  const load = db.prepare<[string], { position: number }>(
    "SELECT position FROM consumer_checkpoints WHERE name = ?",
  );
  const save = db.prepare(
    `INSERT INTO consumer_checkpoints (name, position, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
  );
  return {
    load: (name: string) => load.get(name)?.position ?? 0,
    save: (name: string, position: number) => void save.run(name, position, now().toISOString()),
  };
}
