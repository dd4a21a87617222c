import type { RepoSummary } from "../../src/events/repo-events.js";

/** A clean repository summary at /ws/<name>, for folds and decisions over repo events. */
export function repoSummary(name: string, overrides: Partial<RepoSummary> = {}): RepoSummary {
  return {
    name,
    path: `/ws/${name}`,
    branch: "main",
    detached: false,
    headCommit: "a".repeat(40),
    upstream: null,
    defaultBranch: "main",
    operation: null,
    dirty: { staged: 0, unstaged: 0, untracked: 0, conflicted: 0 },
    gitDiff: { base: { kind: "head" }, files: 0, added: 0, removed: 0 },
    pullRequest: null,
    ...overrides,
  };
}
