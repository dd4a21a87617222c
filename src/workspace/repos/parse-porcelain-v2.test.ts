import { describe, expect, it } from "vitest";
import { parsePorcelainV2 } from "./parse-porcelain-v2.js";

const oid = "5caeada073b74c25c4b68240082e108dfc768bc2";
const hashes = `100644 100644 100644 ${oid} ${oid}`;
const z = (...records: string[]) => `${records.join("\0")}\0`;

describe("parsePorcelainV2", () => {
  it("reads branch, upstream and ahead/behind from the headers", () => {
    const status = parsePorcelainV2(
      z(
        `# branch.oid ${oid}`,
        "# branch.head feat/x",
        "# branch.upstream origin/feat/x",
        "# branch.ab +3 -12",
      ),
    );
    expect(status).toMatchObject({
      headCommit: oid,
      branch: "feat/x",
      upstream: "origin/feat/x",
      ahead: 3,
      behind: 12,
    });
  });

  it("reports an unborn branch and a detached head as null", () => {
    expect(parsePorcelainV2(z("# branch.oid (initial)", "# branch.head main"))).toMatchObject({
      headCommit: null,
      branch: "main",
    });
    expect(
      parsePorcelainV2(z(`# branch.oid ${oid}`, "# branch.head (detached)")).branch,
    ).toBeNull();
  });

  it("keeps ahead/behind null when the upstream is gone", () => {
    const status = parsePorcelainV2(z("# branch.head main", "# branch.upstream origin/main"));
    expect(status).toMatchObject({ upstream: "origin/main", ahead: null, behind: null });
  });

  it("counts staged, unstaged, untracked and conflicted entries", () => {
    const status = parsePorcelainV2(
      z(
        `1 M. N... ${hashes} staged.txt`,
        `1 .M N... ${hashes} unstaged.txt`,
        `1 MM N... ${hashes} both.txt`,
        `2 R. N... ${hashes} R100 new name.txt`,
        "old name.txt",
        `u UU N... 100644 100644 100644 100644 ${oid} ${oid} ${oid} conflict.txt`,
        "? untracked file.txt",
        "? dir/other.txt",
      ),
    );
    expect(status).toMatchObject({ staged: 3, unstaged: 2, untracked: 2, conflicted: 1 });
    expect(status.untrackedPaths).toEqual(["untracked file.txt", "dir/other.txt"]);
  });

  it("does not mistake a rename's original path for an entry", () => {
    const status = parsePorcelainV2(z(`2 R. N... ${hashes} R100 b.txt`, "? looks-untracked"));
    expect(status).toMatchObject({ staged: 1, untracked: 0 });
  });

  it("answers an empty status with zero counts", () => {
    expect(parsePorcelainV2("")).toMatchObject({
      staged: 0,
      unstaged: 0,
      untracked: 0,
      conflicted: 0,
    });
  });
});
