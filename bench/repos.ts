import { join } from "node:path";
import { execa } from "execa";
import { listRepos } from "../src/workspace/repos/list-repos.js";
import { createRepoReaders } from "../src/workspace/repos/repo-readers.js";
import { commitFiles, git, initRepo, lines, writeFiles } from "../test/workspace/git-fixture.js";
import type { BenchRow } from "./bench-row.js";
import { benchTempDir } from "./bench-temp.js";
import { interleavedMedians } from "./stats.js";

const REPOS = 20;
const CHANGED_PER_REPO = 50; // 20 x 50 = 1,000 changed files
const RUNS = 7;

/**
 * GET /repos over 20 repositories with 1,000 changed files between them (modified, staged and
 * untracked), against the machine's own floor measured in the same run: the plain
 * `git status --porcelain=v2` + `git diff --numstat` of every repo, one after the other.
 */
export async function benchRepos(): Promise<BenchRow[]> {
  const root = benchTempDir("repos");
  const repos = await makeRepos(root);
  const readers = createRepoReaders({ gitTimeoutMs: 30_000 });
  const summary = { includeDiffs: false, maxDiffBytes: 0 };
  const withDiffs = { includeDiffs: true, maxDiffBytes: 1024 * 1024 };

  const scan = await listRepos(readers, root, summary); // warm-up, and a sanity check
  const changed = scan.repos.reduce((sum, repo) => sum + repo.gitDiff.files, 0);
  if (scan.repos.length !== REPOS || changed !== REPOS * CHANGED_PER_REPO) {
    throw new Error(`bench fixture is wrong: ${scan.repos.length} repos, ${changed} changed files`);
  }

  const { plain, module, moduleWithDiffs } = await interleavedMedians(RUNS, {
    plain: () =>
      elapsedMs(async () => {
        for (const repo of repos) {
          await execa("git", ["status", "--porcelain=v2"], { cwd: repo });
          await execa("git", ["diff", "--numstat"], { cwd: repo });
        }
      }),
    module: () => elapsedMs(() => listRepos(readers, root, summary)),
    moduleWithDiffs: () => elapsedMs(() => listRepos(readers, root, withDiffs)),
  });

  const note = `median of ${RUNS} interleaved rounds`;
  return [
    { name: "repos.status.20x50.plain_git_sequential", value: plain, unit: "ms", note },
    { name: "repos.status.20x50.module", value: module, unit: "ms", ratio: module / plain, note },
    {
      name: "repos.status.20x50.module_with_diffs",
      value: moduleWithDiffs,
      unit: "ms",
      ratio: moduleWithDiffs / plain,
      note,
    },
  ];
}

async function elapsedMs(task: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await task();
  return performance.now() - started;
}

async function makeRepos(root: string): Promise<string[]> {
  const repos: string[] = [];
  for (let r = 0; r < REPOS; r++) {
    const repo = await initRepo(join(root, `repo-${String(r).padStart(2, "0")}`));
    const files = Object.fromEntries(
      Array.from({ length: 60 }, (_, f) => [`src/file-${f}.txt`, lines(40)]),
    );
    await commitFiles(repo, files, "initial");
    await git(repo, "checkout", "-q", "-b", "agent");
    // 30 modified, 10 new and staged, 10 untracked.
    const modified = Object.fromEntries(
      Array.from({ length: 30 }, (_, f) => [`src/file-${f}.txt`, lines(45)]),
    );
    const staged = Object.fromEntries(
      Array.from({ length: 10 }, (_, f) => [`src/staged-${f}.txt`, lines(20)]),
    );
    const untracked = Object.fromEntries(
      Array.from({ length: 10 }, (_, f) => [`new/untracked-${f}.txt`, lines(20)]),
    );
    await writeFiles(repo, { ...modified, ...staged, ...untracked });
    await git(repo, "add", "src/");
    await git(repo, "reset", "-q", "--", ...Object.keys(modified));
    repos.push(repo);
  }
  return repos;
}
