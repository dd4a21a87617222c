import { createLimiter } from "../limiter.js";
import {
  createPullRequestFinder,
  type PullRequestFinder,
  type PullRequestFinderOptions,
} from "./find-pull-request.js";
import { createGitRunner, type GitRunner } from "./git-runner.js";

/** The processes a repo read goes through; one set per engine, so limits and caches are shared. */
export interface RepoReaders {
  git: GitRunner;
  findPullRequest: PullRequestFinder;
}

export interface RepoReadersOptions {
  /** git processes running at once, across all repos (measured best at 4 on 2 cores). */
  gitConcurrency?: number;
  gitTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  pullRequests?: PullRequestFinderOptions;
}

export function createRepoReaders(options: RepoReadersOptions = {}): RepoReaders {
  return {
    git: createGitRunner({
      limiter: createLimiter(options.gitConcurrency ?? 4),
      timeoutMs: options.gitTimeoutMs ?? 10_000,
      ...(options.env ? { env: options.env } : {}),
    }),
    findPullRequest: createPullRequestFinder({
      ...(options.env ? { env: options.env } : {}),
      ...options.pullRequests,
    }),
  };
}
