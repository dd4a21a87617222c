import { statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTempDir } from "../../test/support/temp-dir.js";
import { openDatabase, WAL_AUTOCHECKPOINT_PAGES } from "./open-database.js";

const tempDir = useTempDir("open-db-");

describe("openDatabase", () => {
  it("runs the log in WAL mode and lets the WAL grow to its checkpoint size, not SQLite's 1,000 pages", () => {
    const path = join(tempDir(), "engine.db");
    const db = openDatabase(path);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(WAL_AUTOCHECKPOINT_PAGES);
    const pageSize = db.pragma("page_size", { simple: true }) as number;
    db.exec("CREATE TABLE t (data BLOB NOT NULL)");
    const insert = db.prepare("INSERT INTO t (data) VALUES (zeroblob(?))");
    // Some 2,000 pages, each commit its own: past SQLite's default, short of ours.
    for (let i = 0; i < 200; i++) insert.run(10 * pageSize);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(1_500 * pageSize);
    db.close();
  });
});
