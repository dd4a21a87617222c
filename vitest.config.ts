import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "src/**/*.test.ts",
      "actors/**/*.test.ts",
      "projections/**/*.test.ts",
      "test/**/*.test.ts",
    ],
    globalSetup: ["test/support/build.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests spawn real processes (the engine, git, claude, codex); two cores.
    maxWorkers: 2,
  },
});
