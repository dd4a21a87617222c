import type { DiscoveredRepo } from "./discover-repos.js";
import { describeGitFailure } from "./git-runner.js";
import { parsePorcelainV2 } from "./parse-porcelain-v2.js";
import { readDiff } from "./read-diff.js";
import { readGitOperation } from "./read-git-operation.js";
import type { RepoReaders } from "./repo-readers.js";
import type { RepoStatus } from "./repo-status.js";
import { resolveDefaultBranch } from "./resolve-default-branch.js";
import { resolveGitDir } from "./resolve-git-dir.js";

export interface RepoReadOptions {
  /** Adds `gitDiff.fullDiff`, cut at `maxDiffBytes` (then `truncated` is true). */
  includeDiffs: boolean;
  maxDiffBytes: number;
}

export type RepoFailure = DiscoveredRepo & {
  error: { code: "not_a_repository" | "git_failed"; message: string };
};

export type RepoRead = { ok: true; repo: RepoStatus } | ({ ok: false } & RepoFailure);

export async function readRepoStatus(
  readers: RepoReaders,
  repo: DiscoveredRepo,
  options: RepoReadOptions,
): Promise<RepoRead> {
  const { git } = readers;
  const fail = (code: RepoFailure["error"]["code"], message: string): RepoRead => ({
    ok: false,
    ...repo,
    error: { code, message },
  });
  const gitDir = await resolveGitDir(repo.path);
  if (!gitDir) return fail("not_a_repository", `${repo.path} is not the root of a git repository`);

  const [statusResult, defaultBranch, operation] = await Promise.all([
    git(repo.path, ["status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all"]),
    resolveDefaultBranch(git, repo.path),
    readGitOperation(gitDir),
  ]);
  if (!statusResult.ok) return fail("git_failed", describeGitFailure("git status", statusResult));
  if (statusResult.truncated) return fail("git_failed", "git status: output too large");
  const status = parsePorcelainV2(statusResult.stdout);

  const [diff, pullRequest] = await Promise.all([
    readDiff(git, {
      repoPath: repo.path,
      gitDir,
      headCommit: status.headCommit,
      defaultBranch,
      untrackedPaths: status.untrackedPaths,
      fullDiffBytes: options.includeDiffs ? options.maxDiffBytes : null,
    }),
    status.branch === null ? null : readers.findPullRequest(repo.path, status.branch),
  ]);
  if (!diff.ok) return fail("git_failed", diff.message);

  return {
    ok: true,
    repo: {
      name: repo.name,
      path: repo.path,
      branch: status.branch,
      detached: status.branch === null,
      headCommit: status.headCommit,
      upstream:
        status.upstream === null
          ? null
          : { ref: status.upstream, ahead: status.ahead, behind: status.behind },
      defaultBranch: defaultBranch?.name ?? null,
      operation,
      dirty: {
        staged: status.staged,
        unstaged: status.unstaged,
        untracked: status.untracked,
        conflicted: status.conflicted,
      },
      gitDiff: diff.fullDiff
        ? { ...diff.stats, fullDiff: diff.fullDiff.text, truncated: diff.fullDiff.truncated }
        : diff.stats,
      pullRequest,
    },
  };
}
