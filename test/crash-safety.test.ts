import { randomInt } from "node:crypto";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { projections } from "../projections/all.js";
import { readEventsBatch } from "../src/log/read-events-batch.js";
import { catchUpReadModels } from "../src/read-models/catch-up.js";
import { openEngineLog } from "../src/read-models/open-engine-log.js";
import { runCli, supportScript } from "./support/cli.js";
import { useTempDir } from "./support/temp-dir.js";

const tempDir = useTempDir();
const KILLS = 25;

describe("crash safety", () => {
  it(`an appender killed with SIGKILL ${KILLS} times loses no committed event and its read models replay exactly`, async () => {
    const db = join(tempDir(), "engine.db");
    const committed = new Map<number, string>();
    for (let kill = 0; kill < KILLS; kill++) {
      const child = execa(process.execPath, [supportScript("append-loop"), db], {
        reject: false,
        buffer: false,
      });
      let seen = 0;
      let partial = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        const lines = (partial + chunk.toString()).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) {
          const [position, eventId] = line.split(" ");
          committed.set(Number(position), eventId ?? "");
          seen++;
        }
      });
      // Wait for the child to be appending, then kill it at a random moment.
      while (seen === 0 && child.exitCode === null) await sleep(5);
      await sleep(randomInt(1, 120));
      child.kill("SIGKILL");
      const result = await child;
      expect(result.signal).toBe("SIGKILL");

      const reopened = openEngineLog({ path: db, projections });
      expect(reopened.ok).toBe(true);
      if (!reopened.ok) return;
      const { log } = reopened;
      const report = catchUpReadModels(log);
      expect(report.rebuilt).toEqual([]);
      const rows = readEventsBatch(log.db, { after: 0, limit: 10_000_000 });
      for (let i = 1; i < rows.length; i++)
        expect(rows[i]!.position).toBeGreaterThan(rows[i - 1]!.position);
      const byPosition = new Map(rows.map((r) => [r.position, r.event_id]));
      for (const [position, eventId] of committed) expect(byPosition.get(position)).toBe(eventId);
      log.close();

      const check = await runCli(["replay", "--db", db, "--check"]);
      expect(check.stderr).toBe("");
      expect(check.stdout).toContain("stored read models match the replay");
      expect(check.exitCode).toBe(0);
    }
    expect(committed.size).toBeGreaterThan(KILLS);
  }, 300_000);
});
