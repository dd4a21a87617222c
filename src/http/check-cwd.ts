import { stat } from "node:fs/promises";
import { ApiError } from "./api-error.js";

const MAX_COMPONENT_BYTES = 255;

const reasons: Record<string, string> = {
  ENOENT: "it does not exist",
  ENOTDIR: "a part of it is not a directory",
  ENAMETOOLONG: "it is too long",
  ELOOP: "it has too many levels of symbolic links",
  EACCES: "the engine may not look into it",
};

/** Why `path` cannot be a chat's cwd, checked without touching the disk; null if it may be. */
function shapeProblem(path: string): string | null {
  if (path.includes("\0")) return "it contains a NUL byte";
  const long = path.split("/").find((part) => Buffer.byteLength(part) > MAX_COMPONENT_BYTES);
  return long ? `a part of it is longer than ${MAX_COMPONENT_BYTES} bytes` : null;
}

async function diskProblem(path: string): Promise<string | null> {
  try {
    return (await stat(path)).isDirectory() ? null : "it is not a directory";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown";
    return reasons[code] ?? `it cannot be checked (${code})`;
  }
}

/**
 * A chat's cwd must be an existing directory. Any path that is not, including one the file
 * system refuses to look up at all, is the caller's mistake: 400 invalid_cwd, naming the
 * default and the variable that sets it.
 */
export async function checkCwd(path: string, defaultCwd: string): Promise<void> {
  const problem = shapeProblem(path) ?? (await diskProblem(path));
  if (problem === null) return;
  throw new ApiError(
    400,
    "invalid_cwd",
    `cwd ${JSON.stringify(path)} is not an existing directory: ${problem}. Without "cwd" a chat runs in the workspaces root ${JSON.stringify(defaultCwd)} (set by REPLICAS_WORKSPACES_ROOT).`,
  );
}
