import { join } from "node:path";
import { execa } from "execa";
import { packageRoot } from "../../src/package-root.js";

/** The bundled engine CLI, package.json's `bin`, as a user runs it (built by the tests' global setup). */
export const cliPath = join(packageRoot, "dist", "bin", "replicas-engine.js");

/** A compiled helper script under dist/test/support. */
export const supportScript = (name: string) =>
  join(packageRoot, "dist", "test", "support", `${name}.js`);

export function runCli(args: string[], options: { env?: Record<string, string> } = {}) {
  return execa(process.execPath, [cliPath, ...args], {
    reject: false,
    env: options.env,
    timeout: 120_000,
  });
}
