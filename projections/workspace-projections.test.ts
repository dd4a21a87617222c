import { describe, expect, it } from "vitest";
import type { NewEvent } from "../src/events/catalogue.js";
import type { PlanFile } from "../src/events/plan-events.js";
import { decidePlanEvents } from "../src/workspace/plans/plan-changes.js";
import { decideRepoEvents } from "../src/workspace/repos/repo-changes.js";
import type { RepoStatus } from "../src/workspace/repos/repo-status.js";
import { recorded } from "../test/support/recorded-events.js";
import { repoSummary } from "../test/support/repo-summary.js";
import { foldEvents } from "./fold.js";
import { hooksStatusProjection } from "./hooks-status.js";
import { plansProjection } from "./plans.js";
import { reposProjection } from "./repos.js";

const repo = (name: string, staged = 0) =>
  repoSummary(name, { dirty: { staged, unstaged: 0, untracked: 0, conflicted: 0 } });

const plan = (name: string, sha256: string): PlanFile => ({
  name,
  source: "claude",
  size: 10,
  mtime: "2026-01-01T00:00:00.000Z",
  sha256,
});

describe("repos projection", () => {
  it("given changes and a removal, keeps the latest summary of each repo still there", () => {
    const docs = foldEvents(
      reposProjection,
      recorded([
        { type: "repo.status.changed", data: { repo: repo("api") } },
        { type: "repo.status.changed", data: { repo: repo("web") } },
        { type: "repo.status.changed", data: { repo: repo("web", 2) } },
        { type: "repo.removed", data: { name: "api", path: "/ws/api" } },
      ]),
    );
    expect([...docs.keys()]).toEqual(["/ws/web"]);
    expect(docs.get("/ws/web")?.data.dirty.staged).toBe(2);
  });

  it("then an identical scan records nothing", () => {
    const docs = foldEvents(
      reposProjection,
      recorded([{ type: "repo.status.changed", data: { repo: repo("web") } }]),
    );
    const known = new Map([...docs.values()].map((d) => [d.id, d.data]));
    const scan = { repos: [repo("web") as unknown as RepoStatus], failures: [] };
    expect(decideRepoEvents(known, scan)).toEqual([]);
  });
});

describe("plans projection", () => {
  it("given created, updated and removed plans, keeps the current ones; an identical listing records nothing", () => {
    const events: NewEvent[] = [
      { type: "plan.created", data: plan("a.md", "1") },
      { type: "plan.created", data: plan("b.md", "2") },
      { type: "plan.updated", data: plan("a.md", "3") },
      { type: "plan.removed", data: { name: "b.md", source: "claude" } },
    ];
    const docs = foldEvents(plansProjection, recorded(events));
    expect([...docs.keys()]).toEqual(["claude/a.md"]);
    expect(docs.get("claude/a.md")?.data.sha256).toBe("3");
    const known = new Map([...docs.values()].map((d) => [d.id, d.data]));
    expect(decidePlanEvents(known, [plan("a.md", "3")])).toEqual([]);
  });
});

describe("hooks status projection", () => {
  it("given a run that started and completed one hook, shows it hook by hook", () => {
    const docs = foldEvents(
      hooksStatusProjection,
      recorded([
        {
          type: "hooks.run.started",
          data: {
            runId: "r1",
            bootId: "b1",
            forced: false,
            startedAt: "2026-01-01T00:00:00.000Z",
            hooks: [{ repo: "api", name: "install", timeoutMs: 1000 }],
            invalidConfigs: [],
          },
        },
        {
          type: "hooks.hook.completed",
          data: {
            runId: "r1",
            repo: "api",
            name: "install",
            finishedAt: "2026-01-01T00:00:01.000Z",
            durationMs: 1000,
            exitCode: 0,
          },
        },
        {
          type: "hooks.run.completed",
          data: { runId: "r1", finishedAt: "2026-01-01T00:00:02.000Z", durationMs: 2000 },
        },
      ]),
    );
    expect(docs.get("hooks")?.data).toMatchObject({
      state: "completed",
      bootId: "b1",
      hooks: [{ repo: "api", name: "install", state: "completed", exitCode: 0, durationMs: 1000 }],
    });
  });
});
