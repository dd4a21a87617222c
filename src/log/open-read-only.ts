import { existsSync } from "node:fs";
import { Database, type Db } from "./open-database.js";

export type ReadOnlyLog = { ok: true; db: Db; epoch: string } | { ok: false; message: string };

/**
 * Opens an engine's log for reading only (the `log` and `replay` commands, safe beside a
 * running engine). Every refusal names the path, so a mistyped `--db` is obvious.
 */
export function openReadOnly(path: string): ReadOnlyLog {
  if (!existsSync(path)) {
    return {
      ok: false,
      message: `no database at ${path} (the engine creates it at its first start, by default ~/.replicas/engine/engine.db)`,
    };
  }
  let db: Db | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma("busy_timeout = 5000");
    const epoch = db
      .prepare<[], { value: string }>("SELECT value FROM store_meta WHERE key = 'epoch'")
      .get();
    if (!epoch) throw new Error("store_meta has no epoch");
    return { ok: true, db, epoch: epoch.value };
  } catch (error) {
    db?.close();
    return {
      ok: false,
      message: `${path} is not a readable replicas-engine log: ${(error as Error).message}`,
    };
  }
}
