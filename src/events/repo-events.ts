import * as v from "valibot";
import { defineEvent } from "./define-event.js";

const Count = v.pipe(v.number(), v.integer(), v.minValue(0));

/** What the diff stats are measured against; docs/workspace.md explains the choice. */
export const DiffBase = v.variant("kind", [
  /** Working tree vs the merge-base of HEAD and the default branch (`ref`, e.g. origin/main). */
  v.object({ kind: v.literal("merge-base"), ref: v.string() }),
  /** Working tree vs HEAD: no default branch found, or no common history with it. */
  v.object({ kind: v.literal("head") }),
  /** No commit yet: everything staged or untracked counts as added. */
  v.object({ kind: v.literal("empty-tree") }),
]);
export type DiffBase = v.InferOutput<typeof DiffBase>;

export const DiffStats = v.object({
  base: DiffBase,
  files: Count,
  added: Count,
  removed: Count,
});
export type DiffStats = v.InferOutput<typeof DiffStats>;

/** A git operation left in progress (its state files are in the git dir). */
export const RepoOperation = v.picklist([
  "rebase",
  "am",
  "merge",
  "cherry-pick",
  "revert",
  "bisect",
]);
export type RepoOperation = v.InferOutput<typeof RepoOperation>;

export const PullRequestState = v.picklist(["open", "closed", "merged"]);

export const PullRequest = v.object({
  url: v.string(),
  number: v.pipe(v.number(), v.integer(), v.minValue(1)),
  state: PullRequestState,
});
export type PullRequest = v.InferOutput<typeof PullRequest>;

/** One repository as GET /repos reports it, without the full diff. */
export const RepoSummary = v.object({
  /** Path relative to the workspaces root, with "/" separators. */
  name: v.string(),
  path: v.string(),
  /** null when HEAD is detached (including mid-rebase). */
  branch: v.nullable(v.string()),
  detached: v.boolean(),
  /** null when the repository has no commit yet. */
  headCommit: v.nullable(v.string()),
  /** ahead/behind are null when the upstream branch is gone. */
  upstream: v.nullable(
    v.object({ ref: v.string(), ahead: v.nullable(Count), behind: v.nullable(Count) }),
  ),
  defaultBranch: v.nullable(v.string()),
  operation: v.nullable(RepoOperation),
  dirty: v.object({ staged: Count, unstaged: Count, untracked: Count, conflicted: Count }),
  gitDiff: DiffStats,
  pullRequest: v.nullable(PullRequest),
});
export type RepoSummary = v.InferOutput<typeof RepoSummary>;

/** A repository seen for the first time, or whose summary differs from the last one recorded. */
export const repoStatusChanged = defineEvent(
  "repo.status.changed",
  v.object({ repo: RepoSummary }),
);

/** A repository recorded before is no longer under the workspaces root. */
export const repoRemoved = defineEvent(
  "repo.removed",
  v.object({ name: v.string(), path: v.string() }),
);

export const repoEvents = [repoStatusChanged, repoRemoved] as const;
