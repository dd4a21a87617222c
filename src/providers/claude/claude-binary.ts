import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { execa } from "execa";
import type { ProviderProbe } from "../provider.js";

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where the `claude` binary is: `override` (REPLICAS_CLAUDE_BIN; a path, or a name looked up on
 * PATH), else `claude` on the PATH of `env`. Null when nothing executable is found.
 */
export async function resolveClaudeBinary(
  override: string | undefined,
  env: Record<string, string | undefined>,
): Promise<string | null> {
  const wanted = override ?? "claude";
  if (isAbsolute(wanted) || wanted.includes("/")) {
    const path = resolve(wanted);
    return (await isExecutable(path)) ? path : null;
  }
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, wanted);
    if (await isExecutable(candidate)) return candidate;
  }
  return null;
}

/** `claude --version` prints e.g. "2.1.330 (Claude Code)". */
export async function probeClaudeBinary(
  path: string | null,
  env: Record<string, string>,
): Promise<ProviderProbe> {
  if (!path) return { found: false, path: null, version: null };
  const result = await execa(path, ["--version"], {
    env,
    extendEnv: false,
    reject: false,
    timeout: 15_000,
    stdin: "ignore",
  });
  if (result.failed) return { found: false, path, version: null };
  const version = /\d+\.\d+\.\d+\S*/.exec(String(result.stdout))?.[0] ?? null;
  return { found: true, path, version };
}
