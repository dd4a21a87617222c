import { armGroupTimeout } from "../process-group-timeout.js";
import type { StartHook } from "./start-hooks-config.js";

export type HookOutcome =
  | { kind: "completed" }
  | { kind: "failed"; exitCode: number | null; signal: string | null; error: string | null }
  | { kind: "timed_out" };

export interface HookProcessOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** An fd opened for appending: the hook writes stdout and stderr to it itself. */
  logFd: number;
  /** After a timeout, how long the hook's process group has between SIGTERM and SIGKILL. */
  killGraceMs: number;
  /** Aborted when the engine stops: the hook's group is stopped as on a timeout. */
  signal?: AbortSignal;
}

/**
 * Runs one hook in its own process group. Its output goes straight from the child to the log
 * file descriptor and never through the engine, so a hook printing gigabytes costs no memory.
 */
export async function runHook(hook: StartHook, options: HookProcessOptions): Promise<HookOutcome> {
  // Loaded with the first process: a boot spawns none before it serves.
  const { execa } = await import("execa");
  const subprocess = execa(hook.file, hook.args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    stdin: "ignore",
    // execa's types only list fds 3 to 9 here; at run time any fd is handed to spawn as is.
    stdout: options.logFd as 3,
    stderr: options.logFd as 3,
    detached: true,
    reject: false,
  });
  const timeout = armGroupTimeout(subprocess.pid, hook.timeoutMs, options.killGraceMs);
  options.signal?.addEventListener("abort", timeout.fireNow, { once: true });
  if (options.signal?.aborted) timeout.fireNow();
  const result = await subprocess;
  options.signal?.removeEventListener("abort", timeout.fireNow);
  timeout.settle();
  if (timeout.timedOut()) return { kind: "timed_out" };
  if (result.exitCode === 0) return { kind: "completed" };
  const startError = result.exitCode === undefined && result.signal === undefined;
  return {
    kind: "failed",
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    // Only the error code (ENOENT, EACCES): execa's message repeats the command line.
    error: startError ? `could not start: ${result.code ?? "unknown error"}` : null,
  };
}
