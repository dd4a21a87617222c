import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export type WriteResult = { ok: true } | { ok: false; message: string };

/** The temp file's name beside `path`, and how to recognise one a crash left behind. */
const tempName = (path: string) => `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`;
export function isTempFileOf(path: string, name: string): boolean {
  const prefix = `.${basename(path)}`;
  return name.startsWith(prefix) && /^\.[0-9a-f]{12}\.tmp$/.test(name.slice(prefix.length));
}

export interface AtomicWriteOptions {
  /**
   * Fsync the file and then its directory, so the new content survives a power loss (default).
   * Off for a file that only mirrors the log (the export files): the log itself commits with
   * `synchronous = NORMAL`, and its next commit rewrites the mirror.
   */
  durable?: boolean;
}

/**
 * Replaces `path` with `content` so that a reader sees the old file or the new one, never a
 * mix: a temp file in the same directory (same filesystem, so rename is atomic), mode 0600,
 * renamed over the target. Written here rather than with write-file-atomic: that library adds
 * and removes some fifteen exit and signal handlers per write, which the export files' rewrite
 * after every turn paid in CPU (most of the engine's work between turns).
 */
export async function writeFileAtomically(
  path: string,
  content: string,
  { durable = true }: AtomicWriteOptions = {},
): Promise<WriteResult> {
  const dir = dirname(path);
  const temp = join(dir, tempName(path));
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = await open(temp, "wx", 0o600);
    try {
      // The umask can only clear bits, but an odd one could clear owner bits: set them exactly.
      await file.chmod(0o600);
      await file.writeFile(content, "utf8");
      if (durable) await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
    if (!durable) return { ok: true };
    const directory = await open(dir, "r");
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
    return { ok: true };
  } catch (error) {
    // Best effort: the temp file may not exist (or its directory may be the problem).
    await rm(temp, { force: true }).catch(() => undefined);
    return { ok: false, message: `could not write ${path}: ${errorCode(error)}` };
  }
}

function errorCode(error: unknown): string {
  if (error && typeof error === "object" && "code" in error && typeof error.code === "string") {
    return error.code;
  }
  return "unknown error";
}
