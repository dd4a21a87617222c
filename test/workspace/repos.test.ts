import { chmod, mkdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { RepoSummary } from "../../src/events/repo-events.js";
import { createLimiter } from "../../src/workspace/limiter.js";
import { discoverRepos } from "../../src/workspace/repos/discover-repos.js";
import { createGitRunner } from "../../src/workspace/repos/git-runner.js";
import { listRepos } from "../../src/workspace/repos/list-repos.js";
import { readRepoStatus } from "../../src/workspace/repos/read-repo-status.js";
import { createRepoReaders, type RepoReaders } from "../../src/workspace/repos/repo-readers.js";
import { toRepoSummary } from "../../src/workspace/repos/repo-status.js";
import { useTempDir } from "../support/temp-dir.js";
import { commitFiles, git, gitExitCode, initRepo, lines, writeFiles } from "./git-fixture.js";

const tempDir = useTempDir("replicas-repos-");

function readers(emptyPathDir: string): RepoReaders {
  // PATH holds no gh: every pull request lookup answers null.
  return createRepoReaders({
    gitTimeoutMs: 20_000,
    pullRequests: { env: { ...process.env, PATH: emptyPathDir } },
  });
}

const summaryOnly = { includeDiffs: false, maxDiffBytes: 0 };

async function read(path: string, options = summaryOnly) {
  const result = await readRepoStatus(readers(tempDir()), { name: "repo", path }, options);
  if (!result.ok) throw new Error(`expected a readable repo: ${result.error.message}`);
  // What repo.status.changed will carry must pass the event's schema.
  expect(v.safeParse(RepoSummary, toRepoSummary(result.repo)).issues).toBeUndefined();
  return result.repo;
}

/** A bare remote with main, a clone of it (origin/HEAD set) and a second clone to push from. */
async function clonedRepo() {
  const root = tempDir();
  const seed = await initRepo(join(root, "seed"));
  await commitFiles(seed, { "a.txt": lines(10), "b.txt": lines(5) }, "initial");
  await git(root, "clone", "-q", "--bare", seed, "remote.git");
  await git(root, "clone", "-q", join(root, "remote.git"), "work");
  await git(root, "clone", "-q", join(root, "remote.git"), "other");
  return { root, work: join(root, "work"), other: join(root, "other") };
}

describe("readRepoStatus", () => {
  it("reports branch, head, upstream ahead/behind and the default branch", async () => {
    const { work, other } = await clonedRepo();
    await commitFiles(other, { "c.txt": "from elsewhere\n" }, "remote change");
    await git(other, "push", "-q", "origin", "main");
    const head = await commitFiles(work, { "a.txt": `${lines(10)}local\n` }, "local change");
    await git(work, "fetch", "-q", "origin");

    const repo = await read(work);
    expect(repo).toMatchObject({
      branch: "main",
      detached: false,
      headCommit: head,
      upstream: { ref: "origin/main", ahead: 1, behind: 1 },
      defaultBranch: "main",
      operation: null,
      dirty: { staged: 0, unstaged: 0, untracked: 0, conflicted: 0 },
      pullRequest: null,
    });
    // On the default branch, the unpushed commit is what the agent changed.
    expect(repo.gitDiff).toEqual({
      base: { kind: "merge-base", ref: "origin/main" },
      files: 1,
      added: 1,
      removed: 0,
    });
  });

  it("diffs a feature branch against its merge-base with the default branch, untracked and binary files included", async () => {
    const { work, other } = await clonedRepo();
    // main moves on after the branch point: those commits must not count.
    await commitFiles(other, { "z.txt": lines(100) }, "later on main");
    await git(other, "push", "-q", "origin", "main");
    await git(work, "fetch", "-q", "origin");
    await git(work, "checkout", "-q", "-b", "feature");
    await commitFiles(work, { "committed.txt": lines(3) }, "committed work");
    await writeFiles(work, {
      "a.txt": lines(8), // two lines removed, unstaged
      "staged.txt": lines(4),
      "new dir/untracked file.txt": lines(6),
      "image.bin": new Uint8Array([0, 1, 2, 0, 255]),
    });
    await git(work, "add", "staged.txt");

    const repo = await read(work, { includeDiffs: true, maxDiffBytes: 1024 * 1024 });
    expect(repo.branch).toBe("feature");
    expect(repo.upstream).toBeNull();
    expect(repo.dirty).toEqual({ staged: 1, unstaged: 1, untracked: 2, conflicted: 0 });
    expect(repo.gitDiff).toMatchObject({
      base: { kind: "merge-base", ref: "origin/main" },
      files: 5,
      added: 3 + 4 + 6,
      removed: 2,
      truncated: false,
    });
    expect(repo.gitDiff.fullDiff).toContain("+++ b/new dir/untracked file.txt");
    expect(repo.gitDiff.fullDiff).toContain("Binary files /dev/null and b/image.bin differ");
    expect(repo.gitDiff.fullDiff).not.toContain("z.txt");
  });

  it("never writes the repository's own index", async () => {
    const { work } = await clonedRepo();
    await writeFiles(work, { "untracked.txt": "x\n" });
    const indexPath = join(work, ".git", "index");
    const before = await readFile(indexPath);
    const mtime = (await stat(indexPath)).mtimeMs;

    await read(work, { includeDiffs: true, maxDiffBytes: 10_000 });

    expect(await readFile(indexPath)).toEqual(before);
    expect((await stat(indexPath)).mtimeMs).toBe(mtime);
    expect(await git(work, "status", "--porcelain")).toBe("?? untracked.txt");
  });

  it("bounds the full diff and flags it as truncated, cut at a line end", async () => {
    const { work } = await clonedRepo();
    await writeFiles(work, { "big.txt": lines(20_000, "a fairly long line of generated text") });

    const repo = await read(work, { includeDiffs: true, maxDiffBytes: 4096 });
    expect(repo.gitDiff.truncated).toBe(true);
    const fullDiff = repo.gitDiff.fullDiff ?? "";
    expect(Buffer.byteLength(fullDiff)).toBeLessThanOrEqual(4096);
    expect(fullDiff.length).toBeGreaterThan(3000);
    expect(fullDiff.endsWith("\n")).toBe(true);
    // The stats still count everything.
    expect(repo.gitDiff.added).toBe(20_000);
  });

  it("answers a repository with no commits: everything is added against the empty tree", async () => {
    const repo = await initRepo(join(tempDir(), "fresh"));
    await writeFiles(repo, { "staged.txt": lines(2), "untracked.txt": lines(3) });
    await git(repo, "add", "staged.txt");

    const status = await read(repo, { includeDiffs: true, maxDiffBytes: 10_000 });
    expect(status).toMatchObject({
      branch: "main",
      detached: false,
      headCommit: null,
      upstream: null,
      defaultBranch: null,
      dirty: { staged: 1, unstaged: 0, untracked: 1, conflicted: 0 },
      gitDiff: { base: { kind: "empty-tree" }, files: 2, added: 5, removed: 0, truncated: false },
    });
    expect(status.gitDiff.fullDiff).toContain("+++ b/untracked.txt");
  });

  it("answers an empty repository with nothing in it", async () => {
    const repo = await initRepo(join(tempDir(), "empty"));
    const status = await read(repo);
    expect(status).toMatchObject({
      headCommit: null,
      branch: "main",
      gitDiff: { files: 0, added: 0, removed: 0 },
    });
  });

  it("reports a detached head without a branch or pull request", async () => {
    const repo = await initRepo(join(tempDir(), "detached"));
    const first = await commitFiles(repo, { "a.txt": "1\n" });
    await commitFiles(repo, { "a.txt": "2\n" });
    await git(repo, "checkout", "-q", "--detach", first);

    const status = await read(repo);
    expect(status).toMatchObject({
      branch: null,
      detached: true,
      headCommit: first,
      pullRequest: null,
    });
    // Local main is the default branch; HEAD is behind it, so nothing of its own is changed.
    expect(status.gitDiff).toEqual({
      base: { kind: "merge-base", ref: "main" },
      files: 0,
      added: 0,
      removed: 0,
    });
  });

  it("falls back to HEAD when the branch shares no history with the default branch", async () => {
    const repo = await initRepo(join(tempDir(), "orphan"));
    await commitFiles(repo, { "a.txt": "main\n" });
    await git(repo, "checkout", "-q", "--orphan", "pages");
    await git(repo, "rm", "-q", "-r", "--cached", ".");
    await commitFiles(repo, { "index.html": "<p>pages</p>\n" });
    await writeFiles(repo, { "index.html": "<p>changed</p>\n" });

    const status = await read(repo);
    expect(status.branch).toBe("pages");
    expect(status.gitDiff).toEqual({ base: { kind: "head" }, files: 1, added: 1, removed: 1 });
  });

  it("reports a rebase stopped on a conflict", async () => {
    const repo = await initRepo(join(tempDir(), "rebasing"));
    await commitFiles(repo, { "a.txt": "base\n" });
    await git(repo, "checkout", "-q", "-b", "feature");
    await commitFiles(repo, { "a.txt": "feature\n" });
    await git(repo, "checkout", "-q", "main");
    await commitFiles(repo, { "a.txt": "main\n" });
    await git(repo, "checkout", "-q", "feature");
    expect(await gitExitCode(repo, "rebase", "main")).not.toBe(0);

    const status = await read(repo);
    expect(status).toMatchObject({
      branch: null,
      detached: true,
      operation: "rebase",
      dirty: { conflicted: 1 },
      pullRequest: null,
    });
    expect(status.gitDiff.files).toBe(1);
  });

  it("reports a merge stopped on a conflict, on its branch", async () => {
    const repo = await initRepo(join(tempDir(), "merging"));
    await commitFiles(repo, { "a.txt": "base\n" });
    await git(repo, "checkout", "-q", "-b", "feature");
    await commitFiles(repo, { "a.txt": "feature\n" });
    await git(repo, "checkout", "-q", "main");
    await commitFiles(repo, { "a.txt": "main\n", "b.txt": "b\n" });
    expect(await gitExitCode(repo, "merge", "feature")).not.toBe(0);

    const status = await read(repo);
    expect(status).toMatchObject({ branch: "main", operation: "merge", dirty: { conflicted: 1 } });
  });

  it("answers a folder that is not a repository with a typed failure", async () => {
    const folder = tempDir();
    const result = await readRepoStatus(
      readers(tempDir()),
      { name: "plain", path: folder },
      summaryOnly,
    );
    expect(result).toMatchObject({ ok: false, error: { code: "not_a_repository" } });
  });

  it("keeps the engine's own variables from the programs git runs (core.fsmonitor)", async () => {
    const repo = await initRepo(join(tempDir(), "r"));
    await commitFiles(repo, { "a.txt": "a\n" });
    const seen = join(tempDir(), "fsmonitor-env");
    const hook = join(tempDir(), "fsmonitor.sh");
    // A repository may name any program here; git starts it on `git status`.
    await writeFile(hook, `#!/bin/sh\nenv > '${seen}'\nexit 1\n`);
    await chmod(hook, 0o755);
    await git(repo, "config", "core.fsmonitor", hook);
    const engine: RepoReaders = {
      git: createGitRunner({
        limiter: createLimiter(2),
        timeoutMs: 20_000,
        env: { ...process.env, REPLICAS_ENGINE_SECRET: "s".repeat(32), MONOLITH_URL: "https://x" },
      }),
      findPullRequest: async () => null,
    };
    const result = await readRepoStatus(engine, { name: "r", path: repo }, summaryOnly);
    expect(result.ok).toBe(true);
    const env = await readFile(seen, "utf8");
    expect(env).toContain("PATH=");
    expect(env).not.toMatch(/^(REPLICAS_|MONOLITH_URL=)/m);
  });

  it("bounds every git call in time", async () => {
    const bin = tempDir();
    await writeFile(join(bin, "slow-git"), "#!/bin/sh\nsleep 30 & sleep 30\n");
    await chmod(join(bin, "slow-git"), 0o755);
    const repo = await initRepo(join(tempDir(), "r"));
    const slow: RepoReaders = {
      git: createGitRunner({
        limiter: createLimiter(2),
        timeoutMs: 300,
        gitCommand: join(bin, "slow-git"),
      }),
      findPullRequest: async () => null,
    };
    const started = Date.now();
    const result = await readRepoStatus(slow, { name: "r", path: repo }, summaryOnly);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result).toMatchObject({
      ok: false,
      error: { code: "git_failed", message: "git status: timed out" },
    });
  });
});

describe("discoverRepos and listRepos", () => {
  it("finds repositories under the root, skipping plain, hidden and nested folders", async () => {
    const root = tempDir();
    await initRepo(join(root, "api"));
    await commitFiles(join(root, "api"), { "a.txt": "a\n" });
    await initRepo(join(root, "acme", "web"));
    await initRepo(join(root, "api", "vendor", "nested")); // inside a repo: belongs to it
    await initRepo(join(root, ".hidden", "secret"));
    await initRepo(join(root, "node_modules", "pkg"));
    await mkdir(join(root, "notes"), { recursive: true });
    await writeFiles(root, { "notes/readme.md": "not a repo\n" });
    const outside = await initRepo(join(tempDir(), "outside"));
    await symlink(outside, join(root, "linked"));

    expect(await discoverRepos(root)).toEqual([
      { name: "acme/web", path: join(root, "acme", "web") },
      { name: "api", path: join(root, "api") },
    ]);

    const scan = await listRepos(readers(tempDir()), root, summaryOnly);
    expect(scan.failures).toEqual([]);
    expect(scan.repos.map((repo) => [repo.name, repo.headCommit === null])).toEqual([
      ["acme/web", true],
      ["api", false],
    ]);
  });

  it("answers a missing root with no repositories", async () => {
    const scan = await listRepos(readers(tempDir()), join(tempDir(), "missing"), summaryOnly);
    expect(scan).toEqual({ repos: [], failures: [] });
  });
});
