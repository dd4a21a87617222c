import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliBundleDir } from "./bundle-cli.js";

describe("the command's bundle (built by the tests' global setup)", () => {
  it("keeps its lines short: a crash prints the line it was thrown from, not a whole chunk", () => {
    const chunks = readdirSync(cliBundleDir).filter((name) => name.endsWith(".js"));
    expect(chunks.length).toBeGreaterThan(3);
    for (const name of chunks) {
      const longest = Math.max(
        ...readFileSync(join(cliBundleDir, name), "utf8")
          .split("\n")
          .map((line) => line.length),
      );
      // esbuild breaks a line at its next chance past the limit (some come late): under 1 KB,
      // where an unbroken minified chunk has lines of up to 80 KB.
      expect(longest, name).toBeLessThan(1024);
    }
  });
});
