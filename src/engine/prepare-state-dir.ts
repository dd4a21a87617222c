import { chmod, mkdir, readdir, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { StatePaths } from "../engine-env.js";
import { isTempFileOf } from "../files/atomic-write.js";

/** write-file-atomic (the secret) writes `<file>.<uint32>` and renames it. */
const isWriteFileAtomicTemp = (path: string, name: string) =>
  name.startsWith(`${basename(path)}.`) && /^\d+$/.test(name.slice(basename(path).length + 1));

/**
 * Before boot: the state folder is the owner's alone (0700: it holds the log, the secret and
 * the chats export), and temp files that a crash left mid atomic write (a SIGKILL between the
 * write and the rename) are removed. Returns the paths it removed.
 */
export async function prepareStateDir(paths: StatePaths): Promise<string[]> {
  await mkdir(paths.engineDir, { recursive: true, mode: 0o700 });
  await chmod(paths.engineDir, 0o700);
  const leftovers: [string, (path: string, name: string) => boolean][] = [
    [paths.chatsExport, isTempFileOf],
    [paths.stateExport, isTempFileOf],
    [paths.secretFile, isWriteFileAtomicTemp],
    [paths.gitCredentials, isTempFileOf],
    [paths.claudeCredentials, isTempFileOf],
    [paths.codexAuth, isTempFileOf],
  ];
  const removed: string[] = [];
  for (const [target, isTemp] of leftovers) {
    const dir = dirname(target);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => isTemp(target, n))) {
      await rm(join(dir, name), { force: true });
      removed.push(join(dir, name));
    }
  }
  return removed;
}
