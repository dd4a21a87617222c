import { chmod, mkdir, readdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { StatePaths } from "../engine-env.js";
import { isTempFileOf } from "../files/atomic-write.js";

/**
 * Before boot: the state folder is the owner's alone (0700: it holds the log, the secret and
 * the chats export), and temp files that a crash left mid atomic write (a SIGKILL between the
 * write and the rename) are removed. Returns the paths it removed.
 */
export async function prepareStateDir(paths: StatePaths): Promise<string[]> {
  await mkdir(paths.engineDir, { recursive: true, mode: 0o700 });
  await chmod(paths.engineDir, 0o700);
  const targets = [
    paths.chatsExport,
    paths.stateExport,
    paths.secretFile,
    paths.gitCredentials,
    paths.claudeCredentials,
    paths.codexAuth,
  ];
  const removed: string[] = [];
  for (const target of targets) {
    const dir = dirname(target);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => isTempFileOf(target, n))) {
      await rm(join(dir, name), { force: true });
      removed.push(join(dir, name));
    }
  }
  return removed;
}
