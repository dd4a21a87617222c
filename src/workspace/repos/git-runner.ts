import { agentEnvironment } from "../../engine-env.js";
import type { Limiter } from "../limiter.js";
import { armGroupTimeout } from "../process-group-timeout.js";

export type GitResult =
  | { ok: true; stdout: string; truncated: boolean }
  | {
      ok: false;
      reason: "timeout" | "failed" | "spawn_failed";
      exitCode: number | null;
      stderr: string;
    };

export interface GitCall {
  /** Written to git's stdin. */
  input?: string;
  /** Extra variables on top of the runner's environment (the agents' one). */
  env?: Readonly<Record<string, string>>;
  /** Output beyond this many bytes is cut (at a line end) and `truncated` set. */
  maxBytes?: number;
}

export type GitRunner = (
  cwd: string,
  args: readonly string[],
  call?: GitCall,
) => Promise<GitResult>;

export interface GitRunnerOptions {
  limiter: Limiter;
  timeoutMs: number;
  gitCommand?: string;
  env?: NodeJS.ProcessEnv;
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Every git call of the workspace goes through here: argument arrays only, a shared concurrency
 * limit, a timeout that kills git and its children, and read-only behaviour towards the repo
 * (`GIT_OPTIONAL_LOCKS=0` keeps `git status` from rewriting the index while an agent works).
 */
export function createGitRunner(options: GitRunnerOptions): GitRunner {
  const { limiter, timeoutMs, gitCommand = "git" } = options;
  // git runs programs the repository configures (core.fsmonitor on `git status`, diff
  // textconv): like the agents, they must never see the engine's secret or settings.
  const env = agentEnvironment(options.env ?? process.env);
  return (cwd, args, call = {}) =>
    limiter(async () => {
      const maxBytes = call.maxBytes ?? DEFAULT_MAX_BYTES;
      // Loaded with the first process: a boot spawns none before it serves.
      const { execa } = await import("execa");
      const subprocess = execa(gitCommand, args, {
        cwd,
        env: { ...env, GIT_OPTIONAL_LOCKS: "0", GIT_TERMINAL_PROMPT: "0", ...call.env },
        extendEnv: false,
        input: call.input ?? "",
        encoding: "buffer",
        maxBuffer: maxBytes,
        detached: true,
        reject: false,
      });
      const timeout = armGroupTimeout(subprocess.pid, timeoutMs, 0);
      const result = await subprocess;
      timeout.settle();
      const stderr = new TextDecoder().decode(result.stderr).slice(0, 2000);
      if (timeout.timedOut()) return { ok: false, reason: "timeout", exitCode: null, stderr };
      if (result.isMaxBuffer) {
        const bytes = result.stdout;
        const end = bytes.lastIndexOf(0x0a) + 1;
        return {
          ok: true,
          stdout: new TextDecoder().decode(bytes.subarray(0, end)),
          truncated: true,
        };
      }
      if (result.exitCode === undefined && result.signal === undefined) {
        return { ok: false, reason: "spawn_failed", exitCode: null, stderr: result.code ?? "" };
      }
      if (result.exitCode !== 0) {
        return { ok: false, reason: "failed", exitCode: result.exitCode ?? null, stderr };
      }
      return { ok: true, stdout: new TextDecoder().decode(result.stdout), truncated: false };
    });
}

/** One line for a failed call, e.g. `git status: exit 128: fatal: ...`; never the environment. */
export function describeGitFailure(
  command: string,
  result: Extract<GitResult, { ok: false }>,
): string {
  if (result.reason === "timeout") return `${command}: timed out`;
  if (result.reason === "spawn_failed") return `${command}: could not start git (${result.stderr})`;
  const firstLine = result.stderr.split("\n").find((line) => line.trim() !== "") ?? "";
  return `${command}: exit ${result.exitCode}${firstLine ? `: ${firstLine}` : ""}`;
}
