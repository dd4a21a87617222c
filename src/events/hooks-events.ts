import * as v from "valibot";
import { defineEvent } from "./define-event.js";

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const Millis = v.pipe(v.number(), v.integer(), v.minValue(0));
const Timestamp = v.string();

/** A hook is named by its repository (name under the workspaces root) and its own name. */
const HookRef = { runId: Id, repo: v.string(), name: v.string() };
const Finished = { finishedAt: Timestamp, durationMs: Millis };

export const hooksRunStarted = defineEvent(
  "hooks.run.started",
  v.object({
    runId: Id,
    /** The kernel boot id the run belongs to; null where the platform has none. */
    bootId: v.nullable(v.string()),
    forced: v.boolean(),
    startedAt: Timestamp,
    /** Every hook the run will try, in order: the status shows them as pending. */
    hooks: v.array(v.object({ repo: v.string(), name: v.string(), timeoutMs: Millis })),
    /** Config files that could not be used; their repositories run no hook. */
    invalidConfigs: v.array(v.object({ repo: v.string(), path: v.string(), message: v.string() })),
  }),
);

export const hooksHookStarted = defineEvent(
  "hooks.hook.started",
  v.object({ ...HookRef, startedAt: Timestamp }),
);

export const hooksHookCompleted = defineEvent(
  "hooks.hook.completed",
  v.object({ ...HookRef, ...Finished, exitCode: v.literal(0) }),
);

/** Non-zero exit, killed by a signal, or could not start (`error`, e.g. ENOENT). */
export const hooksHookFailed = defineEvent(
  "hooks.hook.failed",
  v.object({
    ...HookRef,
    ...Finished,
    exitCode: v.nullable(v.number()),
    signal: v.nullable(v.string()),
    error: v.nullable(v.string()),
  }),
);

/** The hook outlived its timeout; its whole process group was killed. */
export const hooksHookTimedOut = defineEvent(
  "hooks.hook.timed_out",
  v.object({ ...HookRef, ...Finished, timeoutMs: Millis }),
);

/** Not run because an earlier hook of the same repository did not complete. */
export const hooksHookSkipped = defineEvent(
  "hooks.hook.skipped",
  v.object({ ...HookRef, reason: v.literal("earlier_hook_failed") }),
);

export const hooksRunCompleted = defineEvent(
  "hooks.run.completed",
  v.object({ runId: Id, ...Finished }),
);

/** A run was still open when the engine stopped; recorded at the next boot. */
export const hooksRunInterrupted = defineEvent(
  "hooks.run.interrupted",
  v.object({ runId: Id, at: Timestamp, reason: v.literal("engine_restart") }),
);

export const hooksEvents = [
  hooksRunStarted,
  hooksHookStarted,
  hooksHookCompleted,
  hooksHookFailed,
  hooksHookTimedOut,
  hooksHookSkipped,
  hooksRunCompleted,
  hooksRunInterrupted,
] as const;

/** One hooks event as the runner emits it and the status fold reads it. */
export type HooksEvent = {
  [D in (typeof hooksEvents)[number] as D["type"]]: {
    type: D["type"];
    data: v.InferOutput<D["data"]>;
  };
}[(typeof hooksEvents)[number]["type"]];
