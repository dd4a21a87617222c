import { describe, expect, it } from "vitest";
import { fileDiff, locateFile } from "./file-diff.js";

const full = [
  "diff --git a/src/a.ts b/src/a.ts",
  "--- a/src/a.ts",
  "+++ b/src/a.ts",
  "@@ -1 +1 @@",
  "-old",
  "+new",
  "diff --git a/README.md b/README.md",
  "@@ -0,0 +1 @@",
  "+hello",
  "",
].join("\n");

describe("fileDiff", () => {
  it("cuts one file's section out of a full diff", () => {
    expect(fileDiff(full, "src/a.ts")).toBe(
      "diff --git a/src/a.ts b/src/a.ts\n--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1 +1 @@\n-old\n+new\n",
    );
    expect(fileDiff(full, "README.md")).toBe(
      "diff --git a/README.md b/README.md\n@@ -0,0 +1 @@\n+hello\n",
    );
  });

  it("answers null for a file the diff does not touch (or only a suffix of its name)", () => {
    expect(fileDiff(full, "a.ts")).toBeNull();
    expect(fileDiff("", "src/a.ts")).toBeNull();
  });
});

describe("locateFile", () => {
  const repos = [{ path: "/w/api" }, { path: "/w/api/vendor/lib" }, { path: "/w/web" }];

  it("finds the innermost repository of an absolute or cwd-relative path", () => {
    expect(locateFile(repos, "/w/api", "src/a.ts")).toEqual({
      repo: repos[0],
      relativePath: "src/a.ts",
    });
    expect(locateFile(repos, "/x", "/w/api/vendor/lib/i.c")).toEqual({
      repo: repos[1],
      relativePath: "i.c",
    });
  });

  it("answers null outside every repository", () => {
    expect(locateFile(repos, "/w", "/w/apiary/x")).toBeNull();
  });
});
