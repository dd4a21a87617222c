import { createHash } from "node:crypto";
import { mkdir, symlink, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { listPlans } from "../../src/workspace/plans/list-plans.js";
import { openPlanFile } from "../../src/workspace/plans/open-plan-file.js";
import type { PlanFolders } from "../../src/workspace/plans/plan-folders.js";
import { readPlan } from "../../src/workspace/plans/read-plan.js";
import { useTempDir } from "../support/temp-dir.js";

const tempDir = useTempDir("replicas-plans-");

/** Two plans folders inside a home, and a secret next to them that must never be served. */
async function setup() {
  const home = tempDir();
  const folders: PlanFolders = {
    claude: join(home, ".claude", "plans"),
    replicas: join(home, ".replicas", "plans"),
  };
  await mkdir(folders.claude, { recursive: true });
  await mkdir(folders.replicas, { recursive: true });
  await writeFile(join(home, "secret.md"), "SECRET");
  await writeFile(join(home, ".claude", "secret.md"), "SECRET");
  return { home, folders };
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("readPlan", () => {
  it("reads a plan by file name, from the claude folder first", async () => {
    const { folders } = await setup();
    await writeFile(join(folders.claude, "brave-otter.md"), "# Claude plan\n");
    await writeFile(join(folders.replicas, "brave-otter.md"), "# Replicas plan\n");
    await writeFile(join(folders.replicas, "only-here.md"), "# Only here\n");

    expect(await readPlan(folders, "brave-otter.md")).toMatchObject({
      ok: true,
      plan: { name: "brave-otter.md", source: "claude", size: 14, content: "# Claude plan\n" },
    });
    expect(await readPlan(folders, "brave-otter.md", { source: "replicas" })).toMatchObject({
      ok: true,
      plan: { source: "replicas", content: "# Replicas plan\n" },
    });
    expect(await readPlan(folders, "only-here.md")).toMatchObject({
      ok: true,
      plan: { source: "replicas" },
    });
  });

  it.each([
    ["parent directory", "../secret.md"],
    ["parent of parent", "../../secret.md"],
    ["bare ..", ".."],
    ["bare .", "."],
    ["encoded slash", "..%2Fsecret.md"],
    ["encoded slash, lower case", "..%2fsecret.md"],
    ["encoded backslash", "..%5Csecret.md"],
    ["double-encoded slash", "..%252Fsecret.md"],
    ["encoded dots", "%2e%2e%2fsecret.md"],
    ["absolute path", "/etc/passwd"],
    ["absolute path to a markdown file", "/tmp/secret.md"],
    ["backslash", "..\\secret.md"],
    ["windows drive", "C:\\secret.md"],
    ["sub folder", "sub/plan.md"],
    ["NUL byte", "plan.md\0.txt"],
    ["NUL byte before the extension", "plan\0.md"],
    ["control character", "plan\n.md"],
    ["over-long name", `${"a".repeat(300)}.md`],
    ["hidden file", ".hidden.md"],
    ["dots inside", "a..md"],
    ["not markdown", "notes.txt"],
    ["empty", ""],
  ])("refuses %s as invalid_filename", async (_label, name) => {
    const { folders } = await setup();
    const result = await readPlan(folders, name);
    expect(result).toMatchObject({ ok: false, error: { code: "invalid_filename" } });
  });

  it("does not follow a symlink that leads outside the folders", async () => {
    const { home, folders } = await setup();
    await symlink(join(home, "secret.md"), join(folders.claude, "escape.md"));
    await symlink(join(home, ".claude"), join(folders.replicas, "up.md"));
    expect(await readPlan(folders, "escape.md")).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await readPlan(folders, "up.md")).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
  });

  it("follows a symlink that stays inside its folder, and a symlinked plans folder", async () => {
    const { home, folders } = await setup();
    await writeFile(join(folders.claude, "real.md"), "real\n");
    await symlink(join(folders.claude, "real.md"), join(folders.claude, "alias.md"));
    const elsewhere = join(home, "elsewhere");
    await mkdir(elsewhere);
    await writeFile(join(elsewhere, "linked.md"), "linked\n");
    const linkedFolders = { ...folders, replicas: join(home, "replicas-link") };
    await symlink(elsewhere, linkedFolders.replicas);

    expect(await readPlan(folders, "alias.md")).toMatchObject({
      ok: true,
      plan: { content: "real\n" },
    });
    expect(await readPlan(linkedFolders, "linked.md")).toMatchObject({
      ok: true,
      plan: { content: "linked\n" },
    });
  });

  it("answers not_found for a missing plan, a folder named like a plan and missing folders", async () => {
    const { home, folders } = await setup();
    await mkdir(join(folders.claude, "folder.md"));
    expect(await readPlan(folders, "missing.md")).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await readPlan(folders, "folder.md")).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    const none = { claude: join(home, "no-1"), replicas: join(home, "no-2") };
    expect(await readPlan(none, "plan.md")).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
  });

  it("never waits on a FIFO: it is not a plan, whether it was there first or swapped in", async () => {
    const { folders } = await setup();
    const fifo = join(folders.claude, "pipe.md");
    await execa("mkfifo", [fifo]);
    // Opened as it stands (what a swap after the path check leads to): refused, not waited on.
    expect(await openPlanFile(fifo)).toBeNull();
    expect(await readPlan(folders, "pipe.md")).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await listPlans(folders)).toEqual([]);
  });

  it("a plan swapped for a FIFO over and over while it is read: every read answers", async () => {
    const { folders } = await setup();
    const plan = join(folders.claude, "swapped.md");
    await writeFile(plan, "# the plan\n");
    await execa("mkfifo", [join(folders.claude, "fifo")]);
    // Another process swaps the plan and the FIFO as fast as it can, so the FIFO lands between
    // a read's path check and its open (the window a real swap hits).
    const swapper = execa(process.execPath, [
      "-e",
      `const { renameSync } = require("node:fs");
       const [dir] = process.argv.slice(1);
       const at = (n) => dir + "/" + n;
       for (;;) {
         renameSync(at("swapped.md"), at("aside"));
         renameSync(at("fifo"), at("swapped.md"));
         renameSync(at("swapped.md"), at("fifo"));
         renameSync(at("aside"), at("swapped.md"));
       }`,
      folders.claude,
    ]);
    try {
      const outcomes = new Set<string>();
      for (let round = 0; round < 200; round++) {
        const reads = await Promise.all([
          ...Array.from({ length: 4 }, () => readPlan(folders, "swapped.md")),
          listPlans(folders),
        ]);
        for (const read of reads.slice(0, 4) as Awaited<ReturnType<typeof readPlan>>[]) {
          outcomes.add(read.ok ? read.plan.content : read.error.code);
        }
      }
      expect([...outcomes].every((o) => o === "# the plan\n" || o === "not_found")).toBe(true);
      expect(swapper.exitCode).toBeNull(); // it swapped all along
    } finally {
      swapper.kill("SIGKILL");
      await swapper.catch(() => undefined);
    }
  });

  it("refuses a plan larger than the bound", async () => {
    const { folders } = await setup();
    await writeFile(join(folders.claude, "huge.md"), "x".repeat(5000));
    expect(await readPlan(folders, "huge.md", { maxBytes: 4096 })).toMatchObject({
      ok: false,
      error: { code: "too_large" },
    });
  });
});

describe("listPlans", () => {
  it("lists the markdown plans of both folders, newest first, with size, mtime and sha256", async () => {
    const { home, folders } = await setup();
    await writeFile(join(folders.claude, "older.md"), "old\n");
    await writeFile(join(folders.replicas, "newer.md"), "new plan\n");
    await writeFile(join(folders.claude, "notes.txt"), "not a plan");
    await writeFile(join(folders.claude, ".hidden.md"), "hidden");
    await mkdir(join(folders.claude, "folder.md"));
    await symlink(join(home, "secret.md"), join(folders.claude, "escape.md"));
    await utimes(
      join(folders.claude, "older.md"),
      new Date("2026-01-01T00:00:00Z"),
      new Date("2026-01-01T00:00:00Z"),
    );
    await utimes(
      join(folders.replicas, "newer.md"),
      new Date("2026-02-01T00:00:00Z"),
      new Date("2026-02-01T00:00:00Z"),
    );

    expect(await listPlans(folders)).toEqual([
      {
        name: "newer.md",
        source: "replicas",
        size: 9,
        mtime: "2026-02-01T00:00:00.000Z",
        sha256: sha256("new plan\n"),
      },
      {
        name: "older.md",
        source: "claude",
        size: 4,
        mtime: "2026-01-01T00:00:00.000Z",
        sha256: sha256("old\n"),
      },
    ]);
  });

  it("lists nothing when the folders do not exist", async () => {
    const home = tempDir();
    expect(await listPlans({ claude: join(home, "a"), replicas: join(home, "b") })).toEqual([]);
  });
});
