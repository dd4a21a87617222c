import { execFileSync } from "node:child_process";
import { packageRoot } from "../../src/package-root.js";

/**
 * Vitest global setup: `npm run build` once (type-check, compile, bundle the web inspector),
 * so tests that start the engine or the CLI as real child processes, or open the page, run the
 * code under test, never a stale build.
 */
export default function setup(): void {
  execFileSync("npm", ["run", "--silent", "build"], { cwd: packageRoot, stdio: "inherit" });
}
