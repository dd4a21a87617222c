import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTempDir } from "../../test/support/temp-dir.js";
import { createReadinessCheck } from "./readiness.js";

const tempDir = useTempDir("replicas-readiness-");

describe("createReadinessCheck", () => {
  it("is not ready until the file appears, then stays ready", async () => {
    const file = join(tempDir(), "cloud-init-output.log");
    const isReady = createReadinessCheck(file);
    expect(await isReady()).toBe(false);
    expect(await isReady()).toBe(false);

    await writeFile(file, "Cloud-init finished\n");
    expect(await isReady()).toBe(true);

    // The positive answer is cached: no more disk checks once ready.
    await rm(file);
    expect(await isReady()).toBe(true);
  });
});
