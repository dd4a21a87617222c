import { describe, expect, it } from "vitest";
import { parseNumstat } from "./parse-numstat.js";

describe("parseNumstat", () => {
  it("sums added and removed lines over files", () => {
    expect(parseNumstat("3\t1\ta.txt\x0010\t0\tdir/b c.txt\0")).toEqual({
      files: 2,
      added: 13,
      removed: 1,
    });
  });

  it("counts a binary file without lines", () => {
    expect(parseNumstat("-\t-\timage.png\x002\t2\ta.txt\0")).toEqual({
      files: 2,
      added: 2,
      removed: 2,
    });
  });

  it("reads a rename as one file and skips its two path records", () => {
    // The new path is crafted to look like a numstat record: it must not be counted.
    expect(parseNumstat("1\t1\t\0old.txt\x009\t9\tnew\x002\t0\tz.txt\0")).toEqual({
      files: 2,
      added: 3,
      removed: 1,
    });
  });

  it("answers empty output with zeros", () => {
    expect(parseNumstat("")).toEqual({ files: 0, added: 0, removed: 0 });
  });
});
