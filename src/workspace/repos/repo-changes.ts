import { isDeepStrictEqual } from "node:util";
import type { RepoSummary } from "../../events/repo-events.js";
import type { RepoScan } from "./list-repos.js";
import { toRepoSummary } from "./repo-status.js";

export type RepoEvent =
  | { type: "repo.status.changed"; data: { repo: RepoSummary } }
  | { type: "repo.removed"; data: { name: string; path: string } };

/** The last recorded summary of each repository, by path. */
export type KnownRepos = ReadonlyMap<string, RepoSummary>;

/**
 * Which events a new scan should record: a repo that is new or whose summary differs gets
 * `repo.status.changed`, an unchanged one nothing, and a known repo no longer found gets
 * `repo.removed`. A repo that failed to read this time is neither changed nor removed.
 */
export function decideRepoEvents(known: KnownRepos, scan: RepoScan): RepoEvent[] {
  const events: RepoEvent[] = [];
  const seen = new Set<string>();
  for (const status of scan.repos) {
    const repo = toRepoSummary(status);
    seen.add(repo.path);
    if (!isDeepStrictEqual(known.get(repo.path), repo)) {
      events.push({ type: "repo.status.changed", data: { repo } });
    }
  }
  for (const failure of scan.failures) seen.add(failure.path);
  for (const [path, repo] of known) {
    if (!seen.has(path)) events.push({ type: "repo.removed", data: { name: repo.name, path } });
  }
  return events;
}
