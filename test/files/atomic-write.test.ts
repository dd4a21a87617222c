import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, expect, it } from "vitest";
import { writeFileAtomically } from "../../src/files/atomic-write.js";

/**
 * A separate process that reads the file in a tight loop until told to stop, checking that
 * every read is one complete version (its head and tail carry the same number).
 */
const readerScript = `
const { readFileSync } = require("node:fs");
const [file, stopFile] = process.argv.slice(1);
let reads = 0, partial = 0, missing = 0, versions = new Set();
for (;;) {
  try { readFileSync(stopFile); break; } catch {}
  let text;
  try { text = readFileSync(file, "utf8"); } catch { missing++; continue; }
  reads++;
  try {
    const value = JSON.parse(text);
    if (value.head !== value.tail) partial++; else versions.add(value.head);
  } catch { partial++; }
}
console.log(JSON.stringify({ reads, partial, missing, versions: versions.size }));
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "atomic-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function version(n: number): string {
  return JSON.stringify({ head: n, body: "z".repeat(50_000 + (n % 7) * 10_000), tail: n });
}

it("a reader polling the file while it is replaced 300 times never sees a partial file", async () => {
  const file = join(dir, "auth.json");
  const stopFile = join(dir, "stop");
  expect(await writeFileAtomically(file, version(0))).toEqual({ ok: true });
  const reader = execa(process.execPath, ["-e", readerScript, file, stopFile], { timeout: 60_000 });
  for (let n = 1; n <= 300; n++) {
    expect(await writeFileAtomically(file, version(n))).toEqual({ ok: true });
  }
  expect(await writeFileAtomically(stopFile, "stop")).toEqual({ ok: true });
  const result = JSON.parse((await reader).stdout) as Record<string, number>;

  expect(result.partial).toBe(0);
  expect(result.missing).toBe(0);
  expect(result.reads).toBeGreaterThan(50);
  // The reader really saw the file change under it.
  expect(result.versions).toBeGreaterThan(5);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  // No temp file left behind.
  expect(readdirSync(dir).sort()).toEqual(["auth.json", "stop"]);
});

it("reports a failure as a result naming the file and the error code, and leaves no temp file", async () => {
  const blocker = join(dir, "not-a-dir");
  await writeFileAtomically(blocker, "x");
  const result = await writeFileAtomically(join(blocker, "auth.json"), "{}");
  // mkdir meets a file where the directory should be.
  expect(result).toEqual({
    ok: false,
    message: `could not write ${join(blocker, "auth.json")}: EEXIST`,
  });
  expect(readdirSync(dir)).toEqual(["not-a-dir"]);
});
