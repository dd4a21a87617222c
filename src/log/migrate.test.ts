import { appendFileSync, cpSync, readdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projections } from "../../projections/all.js";
import { useTempDir } from "../../test/support/temp-dir.js";
import { catchUpReadModels } from "../read-models/catch-up.js";
import { openEngineLog } from "../read-models/open-engine-log.js";
import { appendToStream } from "./append-to-stream.js";
import { migrationsDir } from "./migrate.js";

const tempDir = useTempDir();

function copyMigrations(dir: string): string {
  const copy = join(dir, "migrations");
  cpSync(migrationsDir, copy, { recursive: true });
  return copy;
}

describe("migrations", () => {
  it("apply in order once, recorded with a checksum", () => {
    const dir = tempDir();
    const first = openEngineLog({ path: join(dir, "e.db"), projections });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const rows = first.log.db
      .prepare("SELECT version, name, length(checksum) AS len FROM schema_migrations")
      .all();
    expect(rows).toEqual([
      { version: 1, name: "0001_event_log.sql", len: 64 },
      { version: 2, name: "0002_read_models.sql", len: 64 },
      { version: 3, name: "0003_read_models_rowid.sql", len: 64 },
      { version: 4, name: "0004_read_models_by_id.sql", len: 64 },
    ]);
    const epoch = first.log.epoch;
    first.log.close();
    const second = openEngineLog({ path: join(dir, "e.db"), projections });
    expect(second.ok && second.log.epoch).toBe(epoch);
    if (second.ok) second.log.close();
  });

  it("a changed migration file stops the boot with a clear message", () => {
    const dir = tempDir();
    const migrations = copyMigrations(dir);
    const first = openEngineLog({
      path: join(dir, "e.db"),
      projections,
      migrationsDir: migrations,
    });
    if (first.ok) first.log.close();
    appendFileSync(join(migrations, "0001_event_log.sql"), "\n-- edited\n");
    const second = openEngineLog({
      path: join(dir, "e.db"),
      projections,
      migrationsDir: migrations,
    });
    expect(second.ok).toBe(false);
    expect(!second.ok && second.message).toMatch(
      /migration 0001_event_log\.sql was changed after it was applied/,
    );
  });

  it("a recorded migration whose file is gone stops the boot", () => {
    const dir = tempDir();
    const migrations = copyMigrations(dir);
    const first = openEngineLog({
      path: join(dir, "e.db"),
      projections,
      migrationsDir: migrations,
    });
    if (first.ok) first.log.close();
    unlinkSync(join(migrations, "0002_read_models.sql"));
    const second = openEngineLog({
      path: join(dir, "e.db"),
      projections,
      migrationsDir: migrations,
    });
    expect(!second.ok && second.message).toMatch(
      /0002_read_models\.sql is recorded in the database but its file is missing/,
    );
  });

  it.each([
    ["a rowid table", "0003_read_models_rowid.sql"],
    ["a key that leads with the id", "0004_read_models_by_id.sql"],
  ])("moving read_models to %s keeps every document", (_, migration) => {
    const dir = tempDir();
    const older = copyMigrations(dir);
    for (const file of readdirSync(older)) if (file >= migration) unlinkSync(join(older, file));
    const before = openEngineLog({ path: join(dir, "e.db"), projections, migrationsDir: older });
    if (!before.ok) throw new Error(before.message);
    catchUpReadModels(before.log);
    appendToStream(before.log, "chat:a", [
      {
        type: "chat.created",
        data: { chatId: "a", provider: "claude", title: "kept", cwd: "/w", settings: {} },
      },
    ]);
    const rows = before.log.db
      .prepare("SELECT * FROM read_models ORDER BY projection, doc_id")
      .all();
    before.log.close();
    const after = openEngineLog({ path: join(dir, "e.db"), projections });
    if (!after.ok) throw new Error(after.message);
    expect(
      after.log.db.prepare("SELECT * FROM read_models ORDER BY projection, doc_id").all(),
    ).toEqual(rows);
    expect(catchUpReadModels(after.log)).toEqual({ rebuilt: [], applied: 0 });
    after.log.close();
  });

  it("a new migration file is applied at the next boot", () => {
    const dir = tempDir();
    const migrations = copyMigrations(dir);
    const first = openEngineLog({
      path: join(dir, "e.db"),
      projections,
      migrationsDir: migrations,
    });
    if (first.ok) first.log.close();
    appendFileSync(join(migrations, "0099_extra.sql"), "CREATE TABLE extra (x INTEGER);");
    const second = openEngineLog({
      path: join(dir, "e.db"),
      projections,
      migrationsDir: migrations,
    });
    expect(second.ok).toBe(true);
    if (!second.ok) return;
    expect(second.log.db.prepare("SELECT count(*) AS n FROM extra").get()).toEqual({ n: 0 });
    second.log.close();
  });
});
