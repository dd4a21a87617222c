import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { delimiter, isAbsolute, join, resolve } from "node:path";

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Finds the `codex` executable: an explicit path (the engine passes `REPLICAS_CODEX_BIN`) wins;
 * a bare name, or no override, is looked up on the PATH of `env`. Null when nothing executable
 * is there. An explicit path that is missing is not silently replaced by one from PATH.
 */
export async function resolveCodexBinary(
  override: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<string | null> {
  const name = override ?? "codex";
  if (isAbsolute(name) || name.includes("/")) {
    const path = resolve(name);
    return (await isExecutableFile(path)) ? path : null;
  }
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return null;
}
