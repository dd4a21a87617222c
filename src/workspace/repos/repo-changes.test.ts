import { describe, expect, it } from "vitest";
import { repoSummary } from "../../../test/support/repo-summary.js";
import type { RepoSummary } from "../../events/repo-events.js";
import type { RepoScan } from "./list-repos.js";
import { decideRepoEvents, type KnownRepos } from "./repo-changes.js";
import type { RepoStatus } from "./repo-status.js";

const summary = repoSummary;

function reverseKeys(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, inner]) => [key, reverseKeys(inner)]),
  );
}

const scan = (repos: RepoStatus[], failures: RepoScan["failures"] = []): RepoScan => ({
  repos,
  failures,
});
const known = (...repos: RepoSummary[]): KnownRepos =>
  new Map(repos.map((repo) => [repo.path, repo]));

describe("decideRepoEvents", () => {
  it("given no known repos, when a scan finds one, then it is recorded", () => {
    expect(decideRepoEvents(known(), scan([summary("api")]))).toEqual([
      { type: "repo.status.changed", data: { repo: summary("api") } },
    ]);
  });

  it("given a known repo, when the scan finds it unchanged, then nothing is recorded", () => {
    // Key order differs as after a JSON round trip through the log; still the same summary.
    const replayed = reverseKeys(JSON.parse(JSON.stringify(summary("api")))) as RepoSummary;
    expect(decideRepoEvents(known(replayed), scan([summary("api")]))).toEqual([]);
  });

  it("given a known repo, when its dirty state changes, then the new summary is recorded", () => {
    const dirty = summary("api", {
      dirty: { staged: 0, unstaged: 2, untracked: 0, conflicted: 0 },
    });
    expect(decideRepoEvents(known(summary("api")), scan([dirty]))).toEqual([
      { type: "repo.status.changed", data: { repo: dirty } },
    ]);
  });

  it("never records the full diff, and a new full diff alone is no change", () => {
    const withDiff: RepoStatus = {
      ...summary("api"),
      gitDiff: { ...summary("api").gitDiff, fullDiff: "diff --git a/x b/x\n", truncated: false },
    };
    expect(decideRepoEvents(known(summary("api")), scan([withDiff]))).toEqual([]);
    const [event] = decideRepoEvents(known(), scan([withDiff]));
    expect(event?.type === "repo.status.changed" && event.data.repo.gitDiff).toEqual(
      summary("api").gitDiff,
    );
  });

  it("given a known repo, when it is gone, then repo.removed is recorded", () => {
    expect(decideRepoEvents(known(summary("api"), summary("web")), scan([summary("web")]))).toEqual(
      [{ type: "repo.removed", data: { name: "api", path: "/ws/api" } }],
    );
  });

  it("given a known repo, when it fails to read this time, then it is neither changed nor removed", () => {
    const failure = {
      name: "api",
      path: "/ws/api",
      error: { code: "git_failed" as const, message: "timed out" },
    };
    expect(decideRepoEvents(known(summary("api")), scan([], [failure]))).toEqual([]);
  });
});
