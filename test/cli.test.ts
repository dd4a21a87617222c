import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/package-root.js";
import { runCli } from "./support/cli.js";
import { openTestLog } from "./support/open-test-log.js";
import { useTempDir } from "./support/temp-dir.js";

const tempDir = useTempDir("replicas-cli-");

function emptyLog(): string {
  const dir = tempDir();
  openTestLog(dir).close();
  return join(dir, "engine.db");
}

describe("replicas-engine, the built CLI", () => {
  it("runs as the README says: npx replicas-engine in the package folder, after the build", async () => {
    // --offline: the test talks to no registry. It runs the bin as a fresh `npm ci` leaves it
    // (the build makes it executable: without that, npx failed with 127, "Permission denied").
    const result = await execa(
      "npx",
      ["--offline", "--no-install", "replicas-engine", "log", "--help"],
      { cwd: packageRoot, reject: false },
    );
    expect({ exitCode: result.exitCode, stderr: result.stderr }).toEqual({
      exitCode: 0,
      stderr: "",
    });
    expect(result.stdout).toMatch(/^usage: replicas-engine log --db <file>/);
  });

  it.each([
    [[], "replicas-engine <command>"],
    [["help"], "replicas-engine <command>"],
    [["serve"], "replicas-engine serve"],
    [["log"], "replicas-engine log --db <file>"],
    [["replay"], "replicas-engine replay --db <file>"],
  ])("%j --help prints its usage and exits 0", async (command, synopsis) => {
    const result = await runCli([...command, "--help"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^usage: ${synopsis.replace(/[<>[\]]/g, "\\$&")}`));
    expect(result.stderr).toBe("");
  });

  it.each([["serve"], ["log"], ["replay"]])(
    "%s with an unknown option names it, prints the usage and exits 2",
    async (command) => {
      const options = command === "serve" ? [] : ["--db", emptyLog()];
      const result = await runCli([command, ...options, "--colour"]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain("'--colour'");
      expect(result.stderr).toContain(`usage: replicas-engine ${command}`);
      expect(result.stdout).toBe("");
    },
  );

  it("an unknown command or none prints the commands and exits 2", async () => {
    const unknown = await runCli(["srve"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('unknown command "srve"');
    expect(unknown.stderr).toContain("replicas-engine serve");
    expect((await runCli([])).exitCode).toBe(2);
  });

  it("log --type with an unknown type says so and lists the types", async () => {
    const result = await runCli([
      "log",
      "--db",
      emptyLog(),
      "--type",
      "chat.message.queued",
      "--type",
      "chat.mesage.queued",
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('unknown event type "chat.mesage.queued"');
    expect(result.stderr).toContain("chat.message.queued, ");
  });

  it("errors name the database path", async () => {
    const dir = tempDir();
    const missing = join(dir, "nope", "engine.db");
    const notALog = join(dir, "notes.txt");
    writeFileSync(notALog, "not a database\n".repeat(100));
    for (const command of ["log", "replay"]) {
      for (const db of [missing, notALog]) {
        const result = await runCli([command, "--db", db]);
        expect(result.exitCode, `${command} ${db}`).toBe(1);
        expect(result.stderr).toContain(db);
      }
    }
  });

  it("serve names the database path when it cannot open it", async () => {
    const dir = tempDir();
    const notALog = join(dir, "notes.txt");
    writeFileSync(notALog, "not a database\n".repeat(100));
    const result = await runCli(["serve"], {
      env: {
        HOME: dir,
        REPLICAS_ENGINE_DB: notALog,
        REPLICAS_ENGINE_PORT: "0",
        REPLICAS_ENGINE_SECRET: "0123456789abcdef0123456789abcdef",
      },
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`cannot open the log ${notALog}`);
  });

  it("replay without --out leaves nothing behind; with it, writes the read models there", async () => {
    const db = emptyLog();
    const tmp = join(tempDir(), "tmp");
    mkdirSync(tmp);
    const bare = await runCli(["replay", "--db", db], { env: { TMPDIR: tmp } });
    expect(bare.exitCode).toBe(0);
    expect(bare.stdout).not.toContain("read models in");
    expect(readdirSync(tmp)).toEqual([]);
    const out = join(tmp, "out");
    const written = await runCli(["replay", "--db", db, "--out", out], { env: { TMPDIR: tmp } });
    expect(written.stdout).toContain(`read models in ${out}`);
    expect(readdirSync(out)).toContain("chats.jsonl");
  });
});
