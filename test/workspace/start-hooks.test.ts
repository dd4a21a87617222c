import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { foldHooksStatus, initialHooksStatus } from "../../projections/hooks-status.js";
import { type HooksEvent, hooksEvents } from "../../src/events/hooks-events.js";
import { readBootId } from "../../src/workspace/hooks/read-boot-id.js";
import {
  runStartHooks,
  type StartHooksRunOptions,
} from "../../src/workspace/hooks/run-start-hooks.js";
import { discoverRepos } from "../../src/workspace/repos/discover-repos.js";
import { useTempDir } from "../support/temp-dir.js";
import { initRepo } from "./git-fixture.js";

const tempDir = useTempDir("replicas-hooks-");

async function repoWithHooks(root: string, name: string, config: unknown): Promise<string> {
  const repo = await initRepo(join(root, name));
  await mkdir(join(repo, ".replicas"), { recursive: true });
  await writeFile(
    join(repo, ".replicas", "start-hooks.json"),
    typeof config === "string" ? config : JSON.stringify(config),
  );
  return repo;
}

async function run(root: string, options: Partial<StartHooksRunOptions> = {}) {
  const events: HooksEvent[] = [];
  const logFile = join(root, "state", "startHooks.log");
  await runStartHooks({
    repos: await discoverRepos(root),
    logFile,
    bootId: "boot-1",
    forced: false,
    onEvent: (event) => void events.push(event),
    killGraceMs: 500,
    ...options,
  });
  // Every event the runner emits must be one the catalogue accepts.
  for (const event of events) {
    const definition = hooksEvents.find((candidate) => candidate.type === event.type);
    expect(definition && v.safeParse(definition.data, event.data).issues).toBeUndefined();
  }
  const status = events.reduce(foldHooksStatus, initialHooksStatus);
  return { events, status, logFile, log: () => readFile(logFile, "utf8") };
}

/** Alive and not a zombie (a killed orphan may linger unreaped as Z in a container). */
function isAlive(pid: number): boolean {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1] ?? "";
    return !fields.startsWith("Z");
  } catch {
    return false;
  }
}

describe("runStartHooks", () => {
  it("runs each repo's hooks in order, logs their output, stops a repo's chain at a failure", async () => {
    const root = tempDir();
    const api = await repoWithHooks(root, "api", {
      hooks: [
        { name: "install", command: ["sh", "-c", "echo installing; echo a warning >&2"] },
        { name: "build", run: "echo built > built.txt && echo build done", timeoutMs: 30_000 },
      ],
    });
    const web = await repoWithHooks(root, "web", {
      hooks: [
        { name: "migrate", run: "echo migration broke; exit 3" },
        { name: "seed", run: "touch seeded.txt" },
      ],
    });
    await repoWithHooks(root, "bad", { hooks: [{ name: "x", command: "not an array" }] });
    await initRepo(join(root, "plain"));

    const { events, status, log } = await run(root);

    expect(events.map((event) => event.type)).toEqual([
      "hooks.run.started",
      "hooks.hook.started",
      "hooks.hook.completed",
      "hooks.hook.started",
      "hooks.hook.completed",
      "hooks.hook.started",
      "hooks.hook.failed",
      "hooks.hook.skipped",
      "hooks.run.completed",
    ]);
    expect(status).toMatchObject({ state: "completed", bootId: "boot-1", forced: false });
    expect(status.invalidConfigs).toEqual([
      expect.objectContaining({ repo: "bad", message: expect.stringContaining("hooks.0") }),
    ]);
    expect(status.hooks.map((hook) => [hook.repo, hook.name, hook.state, hook.exitCode])).toEqual([
      ["api", "install", "completed", 0],
      ["api", "build", "completed", 0],
      ["web", "migrate", "failed", 3],
      ["web", "seed", "skipped", null],
    ]);
    expect(existsSync(join(api, "built.txt"))).toBe(true);
    expect(existsSync(join(web, "seeded.txt"))).toBe(false);

    const text = await log();
    const order = [
      "api / install: started",
      "installing",
      "a warning",
      "api / install: completed",
      "api / build: started",
      "build done",
      "web / migrate: started",
      "migration broke",
      "web / migrate: failed (exit 3)",
      "web / seed: skipped",
      `run ${status.runId} completed`,
    ].map((needle) => text.indexOf(needle));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(text).toContain("bad: ");
  });

  it("records a hook whose program does not exist as failed, with the error code", async () => {
    const root = tempDir();
    await repoWithHooks(root, "api", {
      hooks: [{ name: "x", command: ["no-such-program-for-replicas"] }],
    });
    const { status } = await run(root);
    expect(status.hooks[0]).toMatchObject({
      state: "failed",
      exitCode: null,
      error: "could not start: ENOENT",
    });
  });

  it("kills a hook that outlives its timeout, with its children", async () => {
    const root = tempDir();
    const repo = await repoWithHooks(root, "api", {
      hooks: [
        {
          name: "hang",
          run: "sleep 60 & echo $! > child.pid; echo $$ > shell.pid; wait",
          timeoutMs: 500,
        },
        { name: "next", run: "true" },
      ],
    });
    const started = Date.now();
    const { status, log } = await run(root);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(status.hooks.map((hook) => hook.state)).toEqual(["timed_out", "skipped"]);
    for (const file of ["child.pid", "shell.pid"]) {
      const pid = Number(await readFile(join(repo, file), "utf8"));
      // A signal is delivered when the target is next scheduled: allow it a moment.
      await expect.poll(() => isAlive(pid), { timeout: 5000 }).toBe(false);
    }
    expect(await log()).toContain("api / hang: timed out after 500 ms, killed");
  });

  it("kills a hook that ignores SIGTERM after the grace period", async () => {
    const root = tempDir();
    const repo = await repoWithHooks(root, "api", {
      hooks: [
        {
          name: "stubborn",
          run: "trap '' TERM; sleep 60 & echo $! > child.pid; wait",
          timeoutMs: 300,
        },
      ],
    });
    const { status } = await run(root, { killGraceMs: 300 });
    expect(status.hooks[0]?.state).toBe("timed_out");
    const child = Number(await readFile(join(repo, "child.pid"), "utf8"));
    await expect.poll(() => isAlive(child), { timeout: 5000 }).toBe(false);
  });

  it("streams a hook's large output to the log file without holding it in memory", async () => {
    const root = tempDir();
    const bytes = 48 * 1024 * 1024;
    await repoWithHooks(root, "api", {
      hooks: [{ name: "noisy", run: `yes 0123456789abcdef0123456789abcdef | head -c ${bytes}` }],
    });
    const rssBefore = process.memoryUsage.rss();
    const { status, logFile, log } = await run(root);
    const rssGrowth = process.memoryUsage.rss() - rssBefore;

    expect(status.hooks[0]?.state).toBe("completed");
    expect((await stat(logFile)).size).toBeGreaterThan(bytes);
    expect((await log()).endsWith(" completed\n")).toBe(true);
    // The output never passes through this process: far less than its size.
    expect(rssGrowth).toBeLessThan(bytes / 2);
  });

  it("never hands the engine secret to a hook", async () => {
    const root = tempDir();
    await repoWithHooks(root, "api", {
      hooks: [{ name: "env", run: 'echo "secret=[$REPLICAS_ENGINE_SECRET] other=[$OTHER_VAR]"' }],
    });
    const { log } = await run(root, {
      env: {
        PATH: process.env.PATH,
        REPLICAS_ENGINE_SECRET: "s3cret-value-0123456789",
        OTHER_VAR: "kept",
      },
    });
    const text = await log();
    expect(text).toContain("secret=[] other=[kept]");
    expect(text).not.toContain("s3cret-value");
  });

  it("appends to an existing log and records a forced run", async () => {
    const root = tempDir();
    await repoWithHooks(root, "api", { hooks: [{ name: "hello", run: "echo hello" }] });
    await run(root);
    const second = await run(root, { forced: true, bootId: "boot-1" });
    expect(second.status.forced).toBe(true);
    expect((await second.log()).match(/hello\n/g)).toHaveLength(2);
  });
});

describe("readBootId", () => {
  it("reads the boot id file, and answers null without one", async () => {
    const dir = tempDir();
    await writeFile(join(dir, "boot_id"), "4067e415-a5d9-4d2d-863e-75016a83f2df\n");
    expect(await readBootId(join(dir, "boot_id"))).toBe("4067e415-a5d9-4d2d-863e-75016a83f2df");
    expect(await readBootId(join(dir, "missing"))).toBeNull();
  });
});
