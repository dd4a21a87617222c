import { describe, expect, it } from "vitest";
import type { HooksEvent } from "../src/events/hooks-events.js";
import { foldHooksStatus, type HooksStatus, initialHooksStatus } from "./hooks-status.js";

const runStarted = (runId = "run-1", bootId = "boot-1"): HooksEvent => ({
  type: "hooks.run.started",
  data: {
    runId,
    bootId,
    forced: false,
    startedAt: "2026-11-24T07:00:00.000Z",
    hooks: [
      { repo: "api", name: "install", timeoutMs: 60_000 },
      { repo: "api", name: "build", timeoutMs: 60_000 },
      { repo: "web", name: "seed", timeoutMs: 1000 },
    ],
    invalidConfigs: [
      { repo: "bad", path: "/ws/bad/.replicas/start-hooks.json", message: "hooks: required" },
    ],
  },
});
const ref = (repo: string, name: string, runId = "run-1") => ({ runId, repo, name });
const done = { finishedAt: "2026-11-24T07:00:05.000Z", durationMs: 5000 };

const given = (...events: HooksEvent[]): HooksStatus =>
  events.reduce(foldHooksStatus, initialHooksStatus);
const states = (status: HooksStatus) =>
  status.hooks.map((hook) => `${hook.repo}/${hook.name}:${hook.state}`);

describe("foldHooksStatus", () => {
  it("given no events, the hooks have never run", () => {
    expect(given()).toEqual(initialHooksStatus);
    expect(given().state).toBe("never_run");
  });

  it("given a run started, every planned hook is pending", () => {
    const status = given(runStarted());
    expect(status).toMatchObject({
      state: "running",
      runId: "run-1",
      bootId: "boot-1",
      finishedAt: null,
    });
    expect(states(status)).toEqual([
      "api/install:pending",
      "api/build:pending",
      "web/seed:pending",
    ]);
    expect(status.invalidConfigs).toHaveLength(1);
  });

  it("when hooks start, complete, fail, time out and are skipped, each shows its outcome", () => {
    const status = given(
      runStarted(),
      {
        type: "hooks.hook.started",
        data: { ...ref("api", "install"), startedAt: "2026-11-24T07:00:00.000Z" },
      },
      {
        type: "hooks.hook.failed",
        data: { ...ref("api", "install"), ...done, exitCode: 2, signal: null, error: null },
      },
      {
        type: "hooks.hook.skipped",
        data: { ...ref("api", "build"), reason: "earlier_hook_failed" },
      },
      {
        type: "hooks.hook.started",
        data: { ...ref("web", "seed"), startedAt: "2026-11-24T07:00:05.000Z" },
      },
    );
    expect(states(status)).toEqual(["api/install:failed", "api/build:skipped", "web/seed:running"]);
    expect(status.hooks[0]).toMatchObject({
      exitCode: 2,
      durationMs: 5000,
      startedAt: "2026-11-24T07:00:00.000Z",
    });

    const after = foldHooksStatus(status, {
      type: "hooks.hook.timed_out",
      data: { ...ref("web", "seed"), ...done, timeoutMs: 1000 },
    });
    expect(states(after)).toEqual([
      "api/install:failed",
      "api/build:skipped",
      "web/seed:timed_out",
    ]);
  });

  it("when the run completes, the status says so and keeps each hook's outcome", () => {
    const status = given(
      runStarted(),
      { type: "hooks.hook.started", data: { ...ref("api", "install"), startedAt: "t0" } },
      { type: "hooks.hook.completed", data: { ...ref("api", "install"), ...done, exitCode: 0 } },
      { type: "hooks.run.completed", data: { runId: "run-1", ...done } },
    );
    expect(status).toMatchObject({ state: "completed", finishedAt: done.finishedAt });
    expect(status.hooks[0]).toMatchObject({ state: "completed", exitCode: 0 });
  });

  it("when a run is interrupted, its unfinished hooks are interrupted", () => {
    const status = given(
      runStarted(),
      { type: "hooks.hook.started", data: { ...ref("api", "install"), startedAt: "t0" } },
      {
        type: "hooks.run.interrupted",
        data: { runId: "run-1", at: "t1", reason: "engine_restart" },
      },
    );
    expect(status.state).toBe("interrupted");
    expect(states(status)).toEqual([
      "api/install:interrupted",
      "api/build:interrupted",
      "web/seed:interrupted",
    ]);
  });

  it("a new run replaces the last one, and late events of an older run change nothing", () => {
    const status = given(runStarted("run-1"), runStarted("run-2", "boot-2"), {
      type: "hooks.hook.started",
      data: { ...ref("api", "install", "run-1"), startedAt: "t0" },
    });
    expect(status).toMatchObject({ runId: "run-2", bootId: "boot-2" });
    expect(states(status)).toEqual([
      "api/install:pending",
      "api/build:pending",
      "web/seed:pending",
    ]);
  });
});
