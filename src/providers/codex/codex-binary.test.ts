import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resolveCodexBinary } from "./codex-binary.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "codex-bin-"));
  await writeFile(join(dir, "codex"), "#!/bin/sh\n");
  await chmod(join(dir, "codex"), 0o755);
  await writeFile(join(dir, "not-executable"), "");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("resolveCodexBinary", () => {
  test("finds codex on PATH", async () => {
    expect(await resolveCodexBinary(undefined, { PATH: `/nonexistent:${dir}` })).toBe(
      join(dir, "codex"),
    );
  });

  test("an explicit path wins; a missing or non-executable one is not replaced by PATH", async () => {
    expect(await resolveCodexBinary(join(dir, "codex"), { PATH: "" })).toBe(join(dir, "codex"));
    expect(await resolveCodexBinary(join(dir, "missing"), { PATH: dir })).toBeNull();
    expect(await resolveCodexBinary(join(dir, "not-executable"), { PATH: dir })).toBeNull();
  });

  test("nothing on PATH", async () => {
    expect(await resolveCodexBinary(undefined, { PATH: "/nonexistent" })).toBeNull();
  });
});
