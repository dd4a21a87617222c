import { realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative } from "node:path";

export interface PlanFileLocation {
  /** The file's real path (symlinks resolved), inside the plans folder. */
  path: string;
  size: number;
  mtime: Date;
}

/**
 * Where a checked plan name really is. A symlink is followed only when its target stays inside
 * the folder; one that leads outside, a missing file and anything but a regular file are all
 * simply not there (null), exactly as GET /plans does not list them.
 */
export async function resolvePlanFile(
  folder: string,
  name: string,
): Promise<PlanFileLocation | null> {
  const [realFolder, realFile] = await Promise.all([
    realpath(folder).catch(() => null),
    realpath(join(folder, name)).catch(() => null),
  ]);
  if (!realFolder || !realFile) return null;
  const inside = relative(realFolder, realFile);
  if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) return null;
  const info = await stat(realFile).catch(() => null);
  if (!info?.isFile()) return null;
  return { path: realFile, size: info.size, mtime: info.mtime };
}
