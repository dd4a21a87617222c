import { readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readStream } from "../../src/log/read-stream.js";
import { createLogger } from "../../src/logger.js";
import { StartHooksRunner } from "../../src/workspace/hooks/start-hooks-runner.js";
import { openTestLog } from "../support/open-test-log.js";
import { processRunning } from "../support/processes.js";
import { useTempDir } from "../support/temp-dir.js";
import { waitUntil } from "../support/wait-until.js";
import { initRepo } from "./git-fixture.js";

const tempDir = useTempDir("replicas-hooks-runner-");

/**
 * A workspace whose one hook appends to `runs.txt`, writes its pid, then sleeps as many seconds
 * as `seconds.txt` says (the test changes it between runs).
 */
async function runnerWithSlowHook(seconds: number) {
  const home = tempDir();
  const repo = await initRepo(join(home, "workspaces", "api"));
  await mkdir(join(repo, ".replicas"), { recursive: true });
  const runs = join(home, "runs.txt");
  const pid = join(home, "hook.pid");
  const secondsFile = join(home, "seconds.txt");
  await writeFile(secondsFile, String(seconds));
  await writeFile(
    join(repo, ".replicas", "start-hooks.json"),
    JSON.stringify({
      hooks: [
        {
          name: "install",
          run: `echo run >> '${runs}'; echo $$ > '${pid}'; sleep $(cat '${secondsFile}')`,
        },
      ],
    }),
  );
  const log = openTestLog(home);
  const runner = new StartHooksRunner({
    log,
    logger: createLogger("silent"),
    workspacesRoot: join(home, "workspaces"),
    logFile: join(home, "startHooks.log"),
    bootId: async () => "boot-1",
  });
  const events = () => readStream(log, "hooks").map((event) => event.type);
  return { log, runner, runs, pid, secondsFile, events };
}

describe("StartHooksRunner", () => {
  it("a POST /hooks/run before the boot run: one run, and the boot waits for it", async () => {
    const { log, runner, runs, events } = await runnerWithSlowHook(0.3);
    expect(runner.force()).toEqual({ ok: true });
    await runner.boot();
    expect(events()).toEqual([
      "hooks.run.started",
      "hooks.hook.started",
      "hooks.hook.completed",
      "hooks.run.completed",
    ]);
    expect(readStream(log, "hooks")[0]?.data).toMatchObject({ forced: true, bootId: "boot-1" });
    expect(await readFile(runs, "utf8")).toBe("run\n");
    await runner.stop();
    log.close();
  });

  it("stop() waits for a forced run even when a boot was claimed behind it", async () => {
    const { log, runner, pid, secondsFile, events } = await runnerWithSlowHook(0);
    await runner.boot(); // this boot's run, done: the next boot has nothing to run
    await writeFile(pid, "");
    await writeFile(secondsFile, "30");
    expect(runner.force()).toEqual({ ok: true });
    const booted = runner.boot();
    await waitUntil(() => readFileSync(pid, "utf8").trim() !== "", "the forced hook runs");
    const hookPid = Number(readFileSync(pid, "utf8"));
    await runner.stop();
    // Killed and waited for: stop() kept track of the forced run behind the boot's claim.
    expect(processRunning(hookPid)).toBe(false);
    await booted;
    expect(events().filter((type) => type === "hooks.run.started")).toHaveLength(2);
    log.close();
  });
});
