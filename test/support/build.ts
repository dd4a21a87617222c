import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { packageRoot } from "../../src/package-root.js";

/**
 * Vitest global setup: type-checks and compiles the project once, so tests that start the
 * engine or the CLI as real child processes run the code under test, never a stale build.
 */
export default function setup(): void {
  execFileSync(
    join(packageRoot, "node_modules", ".bin", "tsc"),
    ["-p", join(packageRoot, "tsconfig.json")],
    {
      stdio: "inherit",
    },
  );
}
