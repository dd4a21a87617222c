import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLimiter } from "../../src/workspace/limiter.js";
import { createPullRequestFinder } from "../../src/workspace/repos/find-pull-request.js";
import { createGitRunner } from "../../src/workspace/repos/git-runner.js";
import { listRepos } from "../../src/workspace/repos/list-repos.js";
import { useTempDir } from "../support/temp-dir.js";
import { writeFakeGh } from "./fake-gh.js";
import { commitFiles, git, initRepo } from "./git-fixture.js";

const tempDir = useTempDir("replicas-gh-");

const openPr = '[{"url":"https://github.com/acme/api/pull/7","number":7,"state":"OPEN"}]';

async function fakeGh(body: string) {
  const bin = tempDir();
  const { callsLog } = await writeFakeGh(bin, body);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` };
  const calls = async () =>
    (await readFile(callsLog, "utf8").catch(() => "")).split("\n").filter(Boolean);
  return { env, calls };
}

describe("createPullRequestFinder", () => {
  it("asks gh for the branch's newest pull request and normalises it", async () => {
    const gh = await fakeGh(`echo '${openPr}'`);
    const find = createPullRequestFinder({ env: gh.env });
    expect(await find(tempDir(), "feature/x")).toEqual({
      url: "https://github.com/acme/api/pull/7",
      number: 7,
      state: "open",
    });
    expect(await gh.calls()).toEqual([
      "pr list --head feature/x --state all --limit 1 --json url,number,state",
    ]);
  });

  it("keeps the engine's own variables from gh (its aliases and extensions run in it)", async () => {
    const seen = join(tempDir(), "gh-env");
    const gh = await fakeGh(`env > '${seen}'\necho '[]'`);
    const env = { ...gh.env, REPLICAS_ENGINE_SECRET: "s".repeat(32), MONOLITH_URL: "https://x" };
    expect(await createPullRequestFinder({ env })(tempDir(), "main")).toBeNull();
    const seenEnv = await readFile(seen, "utf8");
    expect(seenEnv).toContain("PATH=");
    expect(seenEnv).not.toMatch(/^(REPLICAS_|MONOLITH_URL=)/m);
  });

  it("answers null when the branch has no pull request", async () => {
    const gh = await fakeGh("echo '[]'");
    expect(await createPullRequestFinder({ env: gh.env })(tempDir(), "main")).toBeNull();
  });

  it("answers null when gh is not authenticated", async () => {
    const gh = await fakeGh(
      "echo 'To get started with GitHub CLI, please run:  gh auth login' >&2\nexit 4",
    );
    expect(await createPullRequestFinder({ env: gh.env })(tempDir(), "main")).toBeNull();
  });

  it("answers null when gh prints something unexpected", async () => {
    const gh = await fakeGh('echo \'{"not": "a list"}\'');
    expect(await createPullRequestFinder({ env: gh.env })(tempDir(), "main")).toBeNull();
  });

  it("answers null when there is no gh on PATH", async () => {
    const find = createPullRequestFinder({ env: { ...process.env, PATH: tempDir() } });
    expect(await find(tempDir(), "main")).toBeNull();
  });

  it("kills a hanging gh (and its children) at the timeout and answers null", async () => {
    const gh = await fakeGh("sleep 60 &\nsleep 60");
    const find = createPullRequestFinder({ env: gh.env, timeoutMs: 300 });
    const started = Date.now();
    expect(await find(tempDir(), "main")).toBeNull();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("bounds each caller's wait even when lookups queue behind a hanging gh", async () => {
    const gh = await fakeGh("sleep 60");
    const find = createPullRequestFinder({ env: gh.env, timeoutMs: 300, concurrency: 1 });
    const repo = tempDir();
    const started = Date.now();
    // One at a time, 12 x 300 ms would be 3.6 s if the waits added up.
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => find(repo, `branch-${i}`)),
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(answers.every((answer) => answer === null)).toBe(true);
  });

  it("serves answers from the cache, and a stale answer at once while refreshing it", async () => {
    const answer = join(tempDir(), "answer.json");
    await writeFile(answer, openPr);
    const gh = await fakeGh(`cat '${answer}'`);
    let clock = 0;
    const find = createPullRequestFinder({ env: gh.env, ttlMs: 1000, now: () => clock });
    const repo = tempDir();

    expect((await find(repo, "main"))?.state).toBe("open");
    clock = 999;
    expect((await find(repo, "main"))?.state).toBe("open");
    expect(await gh.calls()).toHaveLength(1);

    await writeFile(answer, openPr.replace("OPEN", "MERGED"));
    clock = 1000;
    // Stale: the old answer comes back at once; the refresh runs behind it.
    expect((await find(repo, "main"))?.state).toBe("open");
    await expect
      .poll(async () => (await find(repo, "main"))?.state, { timeout: 10_000 })
      .toBe("merged");
    expect(await gh.calls()).toHaveLength(2);
  });

  it("shares one gh call between concurrent lookups of the same branch", async () => {
    const gh = await fakeGh(`sleep 0.2\necho '${openPr}'`);
    const find = createPullRequestFinder({ env: gh.env });
    const repo = tempDir();
    const answers = await Promise.all([find(repo, "main"), find(repo, "main"), find(repo, "main")]);
    expect(answers.map((pr) => pr?.number)).toEqual([7, 7, 7]);
    expect(await gh.calls()).toHaveLength(1);
  });
});

describe("pull requests in the repo listing", () => {
  it("fills pullRequest for a branch, and a hanging gh never holds the listing past its bound", async () => {
    const root = tempDir();
    const repo = await initRepo(join(root, "api"));
    await commitFiles(repo, { "a.txt": "a\n" });
    await git(repo, "checkout", "-q", "-b", "feature");
    const gitRunner = createGitRunner({ limiter: createLimiter(4), timeoutMs: 20_000 });
    const options = { includeDiffs: false, maxDiffBytes: 0 };

    const answering = await fakeGh(`echo '${openPr}'`);
    const scan = await listRepos(
      { git: gitRunner, findPullRequest: createPullRequestFinder({ env: answering.env }) },
      root,
      options,
    );
    expect(scan.repos[0]?.pullRequest).toEqual({
      url: "https://github.com/acme/api/pull/7",
      number: 7,
      state: "open",
    });
    expect(await answering.calls()).toEqual([
      "pr list --head feature --state all --limit 1 --json url,number,state",
    ]);

    const hanging = await fakeGh("sleep 60");
    const started = Date.now();
    const slowScan = await listRepos(
      {
        git: gitRunner,
        findPullRequest: createPullRequestFinder({ env: hanging.env, timeoutMs: 500 }),
      },
      root,
      options,
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(slowScan.repos[0]).toMatchObject({ branch: "feature", pullRequest: null });
  });
});
