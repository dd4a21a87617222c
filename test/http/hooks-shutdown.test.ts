import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startHarness } from "../support/engine-harness.js";
import { processAlive } from "../support/processes.js";
import { waitUntil } from "../support/wait-until.js";
import { commitFiles, initRepo } from "../workspace/git-fixture.js";

const home = mkdtempSync(join(tmpdir(), "replicas-hooks-stop-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("start hooks at shutdown", () => {
  it("a hook still running when the engine stops is stopped, and the next boot records the run interrupted", async () => {
    const repo = join(home, "workspaces", "slow");
    const pidFile = join(home, "hook.pid");
    await initRepo(repo);
    await commitFiles(repo, {
      ".replicas/start-hooks.json": JSON.stringify({
        hooks: [
          { name: "serve", run: `echo $$ > ${pidFile}; exec sleep 600` },
          { name: "never", command: ["true"] },
        ],
      }),
    });
    const first = await startHarness({ home });
    await waitUntil(
      () => existsSync(pidFile) && readFileSync(pidFile, "utf8").trim(),
      "the hook runs",
    );
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    expect(processAlive(pid)).toBe(true);
    await first.stop();
    await waitUntil(() => !processAlive(pid), "the hook's process is gone");

    const second = await startHarness({ home });
    type HooksStatus = { state: string; hooks: { name: string; state: string }[] };
    // Boot closes the open run once it has read the kernel's boot id.
    const status = await waitUntil(async () => {
      const s = await second.client.get<HooksStatus>("/hooks/status");
      return s.state === "running" ? null : s;
    }, "boot closes the open run");
    expect(status.state).toBe("interrupted");
    expect(status.hooks.map((h) => [h.name, h.state])).toEqual([
      ["serve", "interrupted"],
      ["never", "interrupted"],
    ]);
    await second.stop();
  });
});
