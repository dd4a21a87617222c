import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Writes an executable named `gh` into `binDir` (to be put first on PATH) that appends its
 * arguments to `<binDir>/calls.log` and then runs `body` (shell lines written by the test).
 */
export async function writeFakeGh(binDir: string, body: string): Promise<{ callsLog: string }> {
  await mkdir(binDir, { recursive: true });
  const callsLog = join(binDir, "calls.log");
  const script = `#!/bin/sh\necho "$*" >> '${callsLog}'\n${body}\n`;
  await writeFile(join(binDir, "gh"), script);
  await chmod(join(binDir, "gh"), 0o755);
  return { callsLog };
}
