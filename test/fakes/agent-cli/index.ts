import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { packageRoot } from "../../../src/package-root.js";

/** The compiled fake (built into dist/ by the tests' global setup). */
const script = join(packageRoot, "dist", "test", "fakes", "agent-cli", "fake-agent.js");

/**
 * Writes an executable `name` into `dir` that runs the fake agent CLI (fake-agent.ts) in its
 * own pid (`exec`), for REPLICAS_CLAUDE_BIN or REPLICAS_CODEX_BIN.
 */
export async function fakeAgentBinary(dir: string, name: "claude" | "codex"): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\nexec "${process.execPath}" "${script}" "$@"\n`);
  await chmod(path, 0o755);
  return path;
}
