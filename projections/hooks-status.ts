import type { HooksEvent } from "../src/events/hooks-events.js";
import type { Projection } from "./projection.js";
import type { ReadModelReader } from "./read-model-reader.js";

export type HookState =
  | "pending"
  | "running"
  | "completed"
  | "failed"
  | "timed_out"
  | "skipped"
  | "interrupted";

export interface HookStatus {
  repo: string;
  name: string;
  state: HookState;
  timeoutMs: number;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  exitCode: number | null;
  signal: string | null;
  error: string | null;
}

/** GET /hooks/status: the latest run, hook by hook. */
export interface HooksStatus {
  state: "never_run" | "running" | "completed" | "interrupted";
  runId: string | null;
  bootId: string | null;
  forced: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  hooks: HookStatus[];
  invalidConfigs: Array<{ repo: string; path: string; message: string }>;
}

export const initialHooksStatus: HooksStatus = {
  state: "never_run",
  runId: null,
  bootId: null,
  forced: false,
  startedAt: null,
  finishedAt: null,
  hooks: [],
  invalidConfigs: [],
};

/** Folds one hooks event into the status. Events of an older run than the latest are ignored. */
export function foldHooksStatus(status: HooksStatus, event: HooksEvent): HooksStatus {
  if (event.type === "hooks.run.started") {
    const { runId, bootId, forced, startedAt, invalidConfigs } = event.data;
    return {
      state: "running",
      runId,
      bootId,
      forced,
      startedAt,
      finishedAt: null,
      invalidConfigs,
      hooks: event.data.hooks.map((hook) => ({
        ...hook,
        state: "pending",
        startedAt: null,
        finishedAt: null,
        durationMs: null,
        exitCode: null,
        signal: null,
        error: null,
      })),
    };
  }
  if (event.data.runId !== status.runId) return status;
  switch (event.type) {
    case "hooks.run.completed":
      return { ...status, state: "completed", finishedAt: event.data.finishedAt };
    case "hooks.run.interrupted":
      return {
        ...status,
        state: "interrupted",
        finishedAt: event.data.at,
        hooks: status.hooks.map((hook) =>
          hook.state === "pending" || hook.state === "running"
            ? { ...hook, state: "interrupted" }
            : hook,
        ),
      };
    case "hooks.hook.started":
      return updateHook(status, event.data, { state: "running", startedAt: event.data.startedAt });
    case "hooks.hook.completed":
      return updateHook(status, event.data, {
        state: "completed",
        ...finished(event.data),
        exitCode: 0,
      });
    case "hooks.hook.failed": {
      const { exitCode, signal, error } = event.data;
      return updateHook(status, event.data, {
        state: "failed",
        ...finished(event.data),
        exitCode,
        signal,
        error,
      });
    }
    case "hooks.hook.timed_out":
      return updateHook(status, event.data, { state: "timed_out", ...finished(event.data) });
    case "hooks.hook.skipped":
      return updateHook(status, event.data, { state: "skipped" });
  }
}

function finished(data: { finishedAt: string; durationMs: number }) {
  return { finishedAt: data.finishedAt, durationMs: data.durationMs };
}

function updateHook(
  status: HooksStatus,
  ref: { repo: string; name: string },
  change: Partial<HookStatus>,
): HooksStatus {
  return {
    ...status,
    hooks: status.hooks.map((hook) =>
      hook.repo === ref.repo && hook.name === ref.name ? { ...hook, ...change } : hook,
    ),
  };
}

/** The one document: the latest run. */
const hooksDocId = "hooks";

/** GET /hooks/status: the latest start-hooks run, hook by hook. */
export const hooksStatusProjection: Projection<HooksStatus, HooksEvent["type"]> = {
  name: "hooks-status",
  version: 1,
  cached: true,
  handles: [
    "hooks.run.started",
    "hooks.run.completed",
    "hooks.run.interrupted",
    "hooks.hook.started",
    "hooks.hook.completed",
    "hooks.hook.failed",
    "hooks.hook.timed_out",
    "hooks.hook.skipped",
  ],
  documentsOf: () => [{ id: hooksDocId, group: "" }],
  evolve: (doc, event) => foldHooksStatus(doc ?? initialHooksStatus, event),
};

/** The latest run as GET /hooks/status serves it ("never_run" before the first). */
export const readHooksStatus = (reader: ReadModelReader): HooksStatus =>
  reader.get(hooksStatusProjection, hooksDocId) ?? initialHooksStatus;
