import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { useTempDir } from "../../../test/support/temp-dir.js";
import { readLogTail } from "./read-log-tail.js";

const tempDir = useTempDir();

describe("readLogTail", () => {
  it("serves a small log whole, the end of a large one, and nothing for a missing file", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "small.log"), "one\ntwo\n");
    expect(await readLogTail(join(dir, "small.log"), 100)).toEqual({
      size: 8,
      text: "one\ntwo\n",
      truncated: false,
    });
    writeFileSync(join(dir, "large.log"), `${"x".repeat(1000)}the end\n`);
    expect(await readLogTail(join(dir, "large.log"), 8)).toEqual({
      size: 1008,
      text: "the end\n",
      truncated: true,
    });
    expect(await readLogTail(join(dir, "none.log"), 8)).toEqual({
      size: 0,
      text: "",
      truncated: false,
    });
  });

  it("a FIFO in the log's place answers at once, as no output", async () => {
    const fifo = join(tempDir(), "fifo.log");
    await execa("mkfifo", [fifo]);
    expect(await readLogTail(fifo, 8)).toEqual({ size: 0, text: "", truncated: false });
  });
});
