import { chmodSync, closeSync, mkdirSync, openSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type BetterSqlite3 from "better-sqlite3";

/**
 * better-sqlite3's constructor, loaded with `require`: the package is CommonJS, and an ES
 * module importing it makes Node 20 first load its CommonJS export lexer and run it over the
 * package's entry, some 5 ms of every boot.
 */
export const Database: typeof BetterSqlite3 = createRequire(import.meta.url)("better-sqlite3");

export type Db = BetterSqlite3.Database;

/** The log holds chat text: only its owner may read it. */
const ownerOnly = 0o600;

/** SQLite checkpoints the WAL into the database file each time it holds this many pages. */
export const WAL_AUTOCHECKPOINT_PAGES = 4_000;

/**
 * Opens the SQLite file read-write with the log's pragmas; creates its folder if needed. The
 * file is made 0600 before SQLite opens it, because SQLite gives the `-wal` and `-shm` files
 * it creates the database file's mode; files left by an older, laxer start are tightened too.
 */
export function openDatabase(path: string): Db {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, "a", ownerOnly));
    for (const file of [path, `${path}-wal`, `${path}-shm`]) {
      try {
        chmodSync(file, ownerOnly);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    }
    const db = new Database(path);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
    db.pragma("foreign_keys = ON");
    // A checkpoint every 4,000 WAL pages (16 MB) instead of SQLite's 1,000: the read models
    // rewrite the same index pages batch after batch, and a longer window copies each of them
    // into the database fewer times (batch appends 10-40 % faster in alternating runs, docs/performance.md). A power loss
    // can roll back up to that much WAL (docs/operations.md).
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    return db;
  } catch (error) {
    throw new Error(`cannot open the log ${path}: ${(error as Error).message}`);
  }
}
