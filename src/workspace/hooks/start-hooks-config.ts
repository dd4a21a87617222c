import { open } from "node:fs/promises";
import { join } from "node:path";
import * as v from "valibot";

/** Where a repository lists its start hooks, relative to its root. */
export const START_HOOKS_FILE = join(".replicas", "start-hooks.json");

const MAX_CONFIG_BYTES = 64 * 1024;
const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

const Name = v.pipe(
  v.string(),
  v.regex(/^\P{Cc}{1,100}$/u, "must be 1 to 100 printable characters"),
);
const TimeoutMs = v.optional(
  v.pipe(
    v.number(),
    v.integer(),
    v.minValue(1),
    v.maxValue(60 * 60 * 1000, "must be at most one hour"),
  ),
  DEFAULT_TIMEOUT_MS,
);
/** `command`: an argv array, run directly. */
const ArgvHook = v.strictObject({
  name: Name,
  command: v.pipe(v.array(v.string()), v.minLength(1, "must name a program")),
  timeoutMs: TimeoutMs,
});
/** `run`: one shell line, run with `sh -c` (it comes from the repository's own file). */
const ShellHook = v.strictObject({
  name: Name,
  run: v.pipe(v.string(), v.minLength(1, "must not be empty")),
  timeoutMs: TimeoutMs,
});

const StartHooksConfig = v.strictObject({
  hooks: v.pipe(
    v.array(
      v.union(
        [ArgvHook, ShellHook],
        'each hook is {"name", "command": [argv...] | "run": "shell line", "timeoutMs"?}',
      ),
    ),
    v.maxLength(50),
    v.check(
      (hooks) => new Set(hooks.map((hook) => hook.name)).size === hooks.length,
      "hook names must be unique",
    ),
  ),
});

/** A hook ready to start: program and arguments, never a string built by the engine. */
export interface StartHook {
  name: string;
  file: string;
  args: string[];
  timeoutMs: number;
}

export type StartHooksConfigRead =
  | { kind: "none" }
  | { kind: "ok"; path: string; hooks: StartHook[] }
  | { kind: "invalid"; path: string; message: string };

export function parseStartHooksConfig(
  text: string,
): { ok: true; hooks: StartHook[] } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `not JSON: ${(error as Error).message}` };
  }
  const result = v.safeParse(StartHooksConfig, json);
  if (!result.success) {
    const issue = result.issues[0];
    return { ok: false, message: `${v.getDotPath(issue) ?? "config"}: ${issue.message}` };
  }
  return {
    ok: true,
    hooks: result.output.hooks.map((hook) =>
      "command" in hook
        ? {
            name: hook.name,
            file: hook.command[0] ?? "",
            args: hook.command.slice(1),
            timeoutMs: hook.timeoutMs,
          }
        : { name: hook.name, file: "sh", args: ["-c", hook.run], timeoutMs: hook.timeoutMs },
    ),
  };
}

export async function readStartHooksConfig(repoPath: string): Promise<StartHooksConfigRead> {
  const path = join(repoPath, START_HOOKS_FILE);
  const handle = await open(path, "r").catch(() => null);
  if (!handle) return { kind: "none" };
  try {
    const { size } = await handle.stat();
    if (size > MAX_CONFIG_BYTES)
      return { kind: "invalid", path, message: `larger than ${MAX_CONFIG_BYTES} bytes` };
    const parsed = parseStartHooksConfig(await handle.readFile("utf8"));
    return parsed.ok
      ? { kind: "ok", path, hooks: parsed.hooks }
      : { kind: "invalid", path, message: parsed.message };
  } finally {
    await handle.close();
  }
}
