import { execa } from "execa";
import type { ProviderProbe } from "../provider.js";

/** `codex --version` prints e.g. `codex-cli 0.169.0`; the version is the last word. */
export async function probeCodex(
  binary: string | null,
  env: NodeJS.ProcessEnv,
): Promise<ProviderProbe> {
  if (!binary) return { found: false, path: null, version: null };
  const result = await execa(binary, ["--version"], {
    env,
    extendEnv: false,
    stdin: "ignore",
    reject: false,
    timeout: 10_000,
  });
  if (result.failed) return { found: false, path: binary, version: null };
  const version = result.stdout.trim().split(/\s+/).at(-1) ?? null;
  return { found: true, path: binary, version };
}
