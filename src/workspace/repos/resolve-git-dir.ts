import { readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";

/**
 * The git directory of a repository root: `<repo>/.git` itself, or the directory a `.git` file
 * points to (linked worktrees, submodules). null when the folder is not a repository root.
 */
export async function resolveGitDir(repoPath: string): Promise<string | null> {
  const dotGit = join(repoPath, ".git");
  const info = await stat(dotGit).catch(() => null);
  if (!info) return null;
  if (info.isDirectory()) return dotGit;
  if (!info.isFile()) return null;
  const text = await readFile(dotGit, "utf8").catch(() => "");
  const match = /^gitdir: (.+)$/m.exec(text);
  return match?.[1] ? resolve(repoPath, match[1].trim()) : null;
}
