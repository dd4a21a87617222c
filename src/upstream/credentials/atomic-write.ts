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

/**
 * Replaces `path` with `content` so that a reader sees the old file or the new one, never a
 * mix: a temp file in the same directory (same filesystem, so rename is atomic), mode 0600,
 * fsynced, renamed over the target, then the directory fsynced so the rename survives a crash.
 */
export async function writeFileAtomically(path: string, content: string): Promise<WriteResult> {
  const dir = dirname(path);
  const temp = join(dir, tempName(path));
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = await open(temp, "wx", 0o600);
    try {
      // The umask can only clear bits, but an odd one could clear owner bits: set them exactly.
      await file.chmod(0o600);
      await file.writeFile(content, "utf8");
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
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
