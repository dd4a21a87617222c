import * as v from "valibot";
import { agentEnvironment } from "../../engine-env.js";
import type { PullRequest } from "../../events/repo-events.js";
import { createLimiter } from "../limiter.js";
import { armGroupTimeout } from "../process-group-timeout.js";

export type PullRequestFinder = (repoPath: string, branch: string) => Promise<PullRequest | null>;

export interface PullRequestFinderOptions {
  ghCommand?: string;
  /** gh's environment (PATH, GH_TOKEN, ...), less the engine's own variables. */
  env?: NodeJS.ProcessEnv;
  /** Longest a lookup may take; a slower gh is killed and the answer is null. */
  timeoutMs?: number;
  /** How long an answer is served without asking gh again. */
  ttlMs?: number;
  concurrency?: number;
  now?: () => number;
}

const GhPullRequests = v.array(
  v.object({
    url: v.string(),
    number: v.pipe(v.number(), v.integer(), v.minValue(1)),
    state: v.pipe(v.string(), v.toLowerCase(), v.picklist(["open", "closed", "merged"])),
  }),
);

const MAX_ENTRIES = 500;

/**
 * The pull request of a branch, through `gh pr list --head <branch> --state all` (the newest one).
 * Never an error: no gh, no auth, no PR, a timeout or unexpected output all answer null, and no
 * call waits longer than `timeoutMs`.
 * Answers are cached per repo and branch; past `ttlMs` the cached answer is still returned at
 * once while one background lookup refreshes it, so only the first lookup ever waits for gh.
 */
export function createPullRequestFinder(options: PullRequestFinderOptions = {}): PullRequestFinder {
  const { ghCommand = "gh", timeoutMs = 5000, ttlMs = 60_000 } = options;
  // gh runs aliases and extensions the user configures: the engine's own variables stay out.
  const env = agentEnvironment(options.env ?? process.env);
  const now = options.now ?? Date.now;
  const limiter = createLimiter(options.concurrency ?? 4);
  const answers = new Map<string, { value: PullRequest | null; fetchedAt: number }>();
  const inflight = new Map<string, Promise<PullRequest | null>>();

  const lookUp = (repoPath: string, branch: string) =>
    limiter(async (): Promise<PullRequest | null> => {
      // Loaded with the first process: a boot spawns none before it serves.
      const { execa } = await import("execa");
      const subprocess = execa(
        ghCommand,
        [
          "pr",
          "list",
          "--head",
          branch,
          "--state",
          "all",
          "--limit",
          "1",
          "--json",
          "url,number,state",
        ],
        {
          cwd: repoPath,
          env: { ...env, GH_PROMPT_DISABLED: "1", GH_NO_UPDATE_NOTIFIER: "1", NO_COLOR: "1" },
          extendEnv: false,
          stdin: "ignore",
          maxBuffer: 1024 * 1024,
          detached: true,
          reject: false,
        },
      );
      const timeout = armGroupTimeout(subprocess.pid, timeoutMs, 0);
      const result = await subprocess;
      timeout.settle();
      if (timeout.timedOut() || result.exitCode !== 0) return null;
      const parsed = v.safeParse(GhPullRequests, parseJson(result.stdout));
      return parsed.success ? (parsed.output[0] ?? null) : null;
    });

  const fetch = (key: string, repoPath: string, branch: string) => {
    let pending = inflight.get(key);
    if (!pending) {
      pending = lookUp(repoPath, branch).then((value) => {
        answers.delete(key);
        answers.set(key, { value, fetchedAt: now() });
        if (answers.size > MAX_ENTRIES) answers.delete(answers.keys().next().value as string);
        inflight.delete(key);
        return value;
      });
      inflight.set(key, pending);
    }
    return pending;
  };

  return async (repoPath, branch) => {
    const key = `${repoPath}\0${branch}`;
    const answer = answers.get(key);
    // Lookups queued behind others (the gh limit) must not add up: the caller waits at most
    // `timeoutMs` in all; a lookup still under way then fills the cache for the next call.
    if (!answer) return withDeadline(fetch(key, repoPath, branch), timeoutMs);
    if (now() - answer.fetchedAt >= ttlMs) void fetch(key, repoPath, branch);
    return answer.value;
  };
}

function withDeadline(
  lookup: Promise<PullRequest | null>,
  ms: number,
): Promise<PullRequest | null> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  return Promise.race([lookup, deadline]).finally(() => clearTimeout(timer));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
