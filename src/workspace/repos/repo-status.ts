import type { DiffStats, RepoSummary } from "../../events/repo-events.js";

/** A repo as GET /repos answers it: the summary, plus the full diff when asked for. */
export type RepoStatus = Omit<RepoSummary, "gitDiff"> & {
  gitDiff: DiffStats & { fullDiff?: string; truncated?: boolean };
};

/** The part recorded in events: the full diff is too large and changes too often to log. */
export function toRepoSummary(status: RepoStatus): RepoSummary {
  const { fullDiff: _fullDiff, truncated: _truncated, ...stats } = status.gitDiff;
  return { ...status, gitDiff: stats };
}
