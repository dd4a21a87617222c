import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineApiError } from "../../src/client/engine-api-error.js";
import type { EngineEvent } from "../../src/events/catalogue.js";
import { type Harness, startHarness, TEST_SECRET } from "../support/engine-harness.js";
import { waitUntil } from "../support/wait-until.js";
import { commitFiles, initRepo, writeFiles } from "../workspace/git-fixture.js";

const home = mkdtempSync(join(tmpdir(), "replicas-workspace-"));
const repo = join(home, "workspaces", "api");
let engine: Harness;

beforeAll(async () => {
  await initRepo(repo);
  await commitFiles(repo, {
    "README.md": "hello\n",
    ".gitignore": "hook-ran.txt\n",
    ".replicas/start-hooks.json": JSON.stringify({
      hooks: [{ name: "greet", run: "echo hooked > hook-ran.txt; echo from-the-hook" }],
    }),
  });
  mkdirSync(join(home, ".claude", "plans"), { recursive: true });
  writeFileSync(join(home, ".claude", "plans", "ship-it.md"), "# Plan\n1. ship\n");
  writeFileSync(join(home, "outside.md"), "secret plan\n");
  symlinkSync(join(home, "outside.md"), join(home, ".claude", "plans", "escape.md"));
  await execa("mkfifo", [join(home, ".claude", "plans", "pipe.md")]);
  engine = await startHarness({ home });
});
afterAll(async () => {
  await engine.stop();
  rmSync(home, { recursive: true, force: true });
});

async function eventsOfType(type: string): Promise<EngineEvent[]> {
  const { position } = await engine.client.status();
  const found: EngineEvent[] = [];
  const stop = new AbortController();
  for await (const item of engine.client.events({ signal: stop.signal })) {
    if (item.kind !== "event") break;
    if (item.event.type === type) found.push(item.event);
    if (item.event.position >= position) break;
  }
  stop.abort();
  return found;
}

const status = (path: string) =>
  fetch(`${engine.url}${path}`, { headers: { "x-replicas-engine-secret": TEST_SECRET } });

describe("workspace over HTTP", () => {
  it("runs the start hooks at boot, into the log file, and serves their status", async () => {
    const hooks = await waitUntil(async () => {
      const s = await engine.client.get<{
        state: string;
        hooks: { name: string; state: string; exitCode: number }[];
      }>("/hooks/status");
      return s.state === "completed" ? s : null;
    }, "the boot run completes");
    expect(hooks.hooks).toMatchObject([{ name: "greet", state: "completed", exitCode: 0 }]);
    expect(readFileSync(join(repo, "hook-ran.txt"), "utf8")).toBe("hooked\n");
    expect(readFileSync(join(home, ".replicas", "startHooks.log"), "utf8")).toContain(
      "from-the-hook",
    );
    const log = await engine.client.get<{ text: string; truncated: boolean; size: number }>(
      "/hooks/log",
    );
    expect(log.text).toContain("from-the-hook");
    expect(log).toMatchObject({ truncated: false, size: Buffer.byteLength(log.text) });
  });

  it("a restart in the same boot does not run the hooks again; POST /hooks/run does", async () => {
    const before = (await eventsOfType("hooks.run.started")).length;
    await engine.stop();
    engine = await startHarness({ home });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await eventsOfType("hooks.run.started")).toHaveLength(before);
    // A burst of ten at once: exactly one run starts, the other nine are refused.
    const burst = await Promise.all(
      Array.from({ length: 10 }, () =>
        engine.client
          .request<{ started: boolean }>("POST", "/hooks/run")
          .catch((e: EngineApiError) => e),
      ),
    );
    expect(burst.filter((answer) => "started" in answer && answer.started)).toHaveLength(1);
    const refused = burst.filter((answer) => answer instanceof EngineApiError);
    expect(refused).toHaveLength(9);
    for (const answer of refused)
      expect(answer).toMatchObject({ status: 409, code: "hooks_running" });
    await waitUntil(
      async () => (await eventsOfType("hooks.run.completed")).length === before + 1,
      "the forced run completes",
    );
    const runs = await eventsOfType("hooks.run.started");
    expect(runs).toHaveLength(before + 1);
    expect(runs.at(-1)?.data).toMatchObject({ forced: true });
  });

  it("GET /repos reports the repo, records its status once, and again only when it changes", async () => {
    const first = await engine.client.get<{
      repos: { name: string; branch: string; dirty: { untracked: number } }[];
    }>("/repos");
    expect(first.repos).toMatchObject([{ name: "api", branch: "main" }]);
    const recorded = (await eventsOfType("repo.status.changed")).length;
    await engine.client.get("/repos");
    expect(await eventsOfType("repo.status.changed")).toHaveLength(recorded);
    await writeFiles(repo, { "README.md": "hello\nworld\n" });
    const withDiffs = await engine.client.get<{
      repos: { gitDiff: { files: number; added: number; fullDiff: string; truncated: boolean } }[];
    }>("/repos?includeDiffs=true");
    expect(withDiffs.repos[0]?.gitDiff).toMatchObject({ files: 1, added: 1, truncated: false });
    expect(withDiffs.repos[0]?.gitDiff.fullDiff).toContain("+world");
    const changes = await eventsOfType("repo.status.changed");
    expect(changes).toHaveLength(recorded + 1);
    expect(JSON.stringify(changes.at(-1))).not.toContain("fullDiff");
  });

  it("records a changed repo after a turn ends, without being asked", async () => {
    const recorded = (await eventsOfType("repo.status.changed")).length;
    await writeFiles(repo, { "notes.txt": "written during the turn\n" });
    await engine.client.createChat({ chatId: "w1", provider: "claude", cwd: repo });
    await engine.client.sendMessage("w1", { text: "reply done" });
    await waitUntil(
      async () => (await eventsOfType("repo.status.changed")).length === recorded + 1,
      "the rescan records the change",
    );
  });

  it("lists and reads plans, records them, and never reads outside the plan folders", async () => {
    const listed = await engine.client.get<{ plans: { name: string; source: string }[] }>("/plans");
    expect(listed.plans.map((p) => p.name)).toEqual(["ship-it.md"]);
    const plan = await engine.client.get<{ plan: { content: string } }>("/plans/ship-it.md");
    expect(plan.plan.content).toBe("# Plan\n1. ship\n");
    expect(
      (await eventsOfType("plan.created")).map((e) => (e.data as { name: string }).name),
    ).toEqual(["ship-it.md"]);
    const attempts: [string, number][] = [
      ["/plans/..%2Foutside.md", 400],
      ["/plans/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", 400],
      ["/plans/..%5Coutside.md", 400],
      ["/plans/%252e%252e%252foutside.md", 400],
      ["/plans/a%00.md", 400],
      [`/plans/${"x".repeat(300)}.md`, 400],
      ["/plans/escape.md", 404],
      ["/plans/pipe.md", 404],
      ["/plans/missing.md", 404],
    ];
    for (const [path, expected] of attempts) {
      const response = await status(path);
      expect(response.status, path).toBe(expected);
      expect(await response.text()).not.toContain("secret plan");
    }
  });

  it("refuses a bad includeDiffs value", async () => {
    const response = await status("/repos?includeDiffs=maybe");
    expect(response.status).toBe(400);
  });

  it("/status has the workspace and upstream sections", async () => {
    const s = (await engine.client.status()) as unknown as {
      workspace: { repos: { count: number }; hooks: { state: string } };
      upstream: { mode: string };
    };
    expect(s.workspace.repos.count).toBe(1);
    expect(s.workspace.hooks.state).toBe("completed");
    expect(s.upstream.mode).toBe("standalone");
  });
});
