import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DiffBase, DiffStats } from "../../events/repo-events.js";
import { describeGitFailure, type GitRunner } from "./git-runner.js";
import { parseNumstat } from "./parse-numstat.js";
import type { DefaultBranch } from "./resolve-default-branch.js";

export interface DiffRequest {
  repoPath: string;
  gitDir: string;
  headCommit: string | null;
  defaultBranch: DefaultBranch | null;
  untrackedPaths: readonly string[];
  /** Also return the unified diff, cut at this many bytes. */
  fullDiffBytes: number | null;
}

export type DiffRead =
  | { ok: true; stats: DiffStats; fullDiff: { text: string; truncated: boolean } | null }
  | { ok: false; message: string };

/** Plain, deterministic output whatever the user's git config says. */
const DIFF_FLAGS = [
  "--no-color",
  "--no-ext-diff",
  "--find-renames",
  "--src-prefix=a/",
  "--dst-prefix=b/",
];

/**
 * What the agent changed: the working tree (staged or not, plus untracked files as added) against
 * the merge-base of HEAD and the default branch, i.e. committed and uncommitted work of this
 * branch, as a pull request would show it once everything is committed.
 *
 * Untracked files are made visible to `git diff` by marking them intent-to-add in a throwaway copy
 * of the index (`GIT_INDEX_FILE`), so the repository's own index is never written.
 */
export async function readDiff(git: GitRunner, request: DiffRequest): Promise<DiffRead> {
  // With --untracked-files=all only an embedded repository is listed as a folder ("vendor/x/"):
  // it has no lines of its own to show, and git refuses to mark it intent-to-add.
  const untrackedFiles = request.untrackedPaths.filter((path) => !path.endsWith("/"));
  const scratch =
    untrackedFiles.length > 0 ? await mkdtemp(join(tmpdir(), "replicas-index-")) : null;
  try {
    let env: Record<string, string> = {};
    if (scratch) {
      const index = join(scratch, "index");
      // No index yet (nothing ever staged): git creates the scratch one.
      await copyFile(join(request.gitDir, "index"), index).catch(() => undefined);
      env = { GIT_INDEX_FILE: index };
      const added = await git(
        request.repoPath,
        [
          "--literal-pathspecs",
          "add",
          "--intent-to-add",
          "--pathspec-from-file=-",
          "--pathspec-file-nul",
        ],
        { input: `${untrackedFiles.join("\0")}\0`, env },
      );
      if (!added.ok)
        return { ok: false, message: describeGitFailure("git add --intent-to-add", added) };
    }
    const bases = await candidateBases(git, request);
    for (const [index, { base, args }] of bases.entries()) {
      const [numstat, patch] = await Promise.all([
        git(request.repoPath, ["diff", "--numstat", "-z", ...DIFF_FLAGS, ...args], { env }),
        request.fullDiffBytes === null
          ? null
          : git(request.repoPath, ["diff", ...DIFF_FLAGS, ...args], {
              env,
              maxBytes: request.fullDiffBytes,
            }),
      ]);
      // No merge-base (unrelated histories) makes git exit non-zero: fall back to HEAD.
      if (!numstat.ok && numstat.reason === "failed" && index < bases.length - 1) continue;
      if (!numstat.ok)
        return { ok: false, message: describeGitFailure("git diff --numstat", numstat) };
      if (patch && !patch.ok) return { ok: false, message: describeGitFailure("git diff", patch) };
      return {
        ok: true,
        stats: { base, ...parseNumstat(numstat.stdout) },
        fullDiff: patch ? { text: patch.stdout, truncated: patch.truncated } : null,
      };
    }
    return { ok: false, message: "git hash-object: could not name the empty tree" };
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

async function candidateBases(
  git: GitRunner,
  request: DiffRequest,
): Promise<Array<{ base: DiffBase; args: string[] }>> {
  if (request.headCommit === null) {
    // The empty tree's id depends on the repository's hash function (sha1 or sha256).
    const emptyTree = await git(request.repoPath, ["hash-object", "-t", "tree", "--stdin"]);
    return emptyTree.ok ? [{ base: { kind: "empty-tree" }, args: [emptyTree.stdout.trim()] }] : [];
  }
  const head = { base: { kind: "head" } as const, args: ["HEAD"] };
  const branch = request.defaultBranch;
  if (!branch) return [head];
  return [
    { base: { kind: "merge-base", ref: branch.shortRef }, args: ["--merge-base", branch.ref] },
    head,
  ];
}
