import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../package-root.js";
import type { Db } from "./open-database.js";

export const migrationsDir = join(packageRoot, "migrations");

interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export type MigrateResult =
  | { ok: true; applied: string[] }
  | { ok: false; code: "checksum_mismatch" | "missing_file"; message: string };

function readMigrations(dir: string): MigrationFile[] {
  return readdirSync(dir)
    .filter((name) => /^\d{4}_[\w-]+\.sql$/.test(name))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name), "utf8");
      return {
        version: Number(name.slice(0, 4)),
        name,
        sql,
        checksum: createHash("sha256").update(sql).digest("hex"),
      };
    });
}

/**
 * Applies the numbered SQL files in order, each in its own transaction with its checksum.
 * An applied file that changed since means the schema on disk is no longer what the code
 * expects: refuse to boot rather than guess.
 */
export function migrate(db: Db, dir = migrationsDir): MigrateResult {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL
  ) STRICT`);
  const applied = new Map(
    db
      .prepare("SELECT version, name, checksum FROM schema_migrations")
      .all()
      .map((row) => {
        const r = row as { version: number; name: string; checksum: string };
        return [r.version, r] as const;
      }),
  );
  const files = readMigrations(dir);
  for (const file of files) {
    const done = applied.get(file.version);
    if (done && done.checksum !== file.checksum) {
      return {
        ok: false,
        code: "checksum_mismatch",
        message: `migration ${file.name} was changed after it was applied (recorded checksum ${done.checksum.slice(0, 12)}, file now ${file.checksum.slice(0, 12)}): restore the file and add a new numbered migration instead`,
      };
    }
  }
  const known = new Set(files.map((f) => f.version));
  for (const done of applied.values()) {
    if (!known.has(done.version)) {
      return {
        ok: false,
        code: "missing_file",
        message: `migration ${done.name} is recorded in the database but its file is missing from ${dir}`,
      };
    }
  }
  const record = db.prepare(
    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
  );
  const pending = files.filter((f) => !applied.has(f.version));
  for (const file of pending) {
    db.transaction(() => {
      db.exec(file.sql);
      record.run(file.version, file.name, file.checksum, new Date().toISOString());
    })();
  }
  return { ok: true, applied: pending.map((f) => f.name) };
}
