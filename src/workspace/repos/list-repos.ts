import { discoverRepos } from "./discover-repos.js";
import { type RepoFailure, type RepoReadOptions, readRepoStatus } from "./read-repo-status.js";
import type { RepoReaders } from "./repo-readers.js";
import type { RepoStatus } from "./repo-status.js";

export interface RepoScan {
  repos: RepoStatus[];
  /** Repositories that could not be read this time (a git timeout, a broken `.git` file). */
  failures: RepoFailure[];
}

/** GET /repos: every repository under the root, read in parallel (git calls share one limit). */
export async function listRepos(
  readers: RepoReaders,
  root: string,
  options: RepoReadOptions,
): Promise<RepoScan> {
  const reads = await Promise.all(
    (await discoverRepos(root)).map((repo) => readRepoStatus(readers, repo, options)),
  );
  const scan: RepoScan = { repos: [], failures: [] };
  for (const read of reads) {
    if (read.ok) scan.repos.push(read.repo);
    else scan.failures.push({ name: read.name, path: read.path, error: read.error });
  }
  return scan;
}
