import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface CodexTestEnv {
  /** Private HOME; `~/.codex` is not used because CODEX_HOME points elsewhere. */
  home: string;
  codexHome: string;
  /** A scratch working directory for turns. */
  workspace: string;
  /** The environment to give the CLI: process.env with HOME, CODEX_HOME and the key var set. */
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

export const fakeApiKeyVar = "LOCAL_API_KEY";
export const fakeModel = "gpt-5.5";

/**
 * A hermetic Codex home whose config points the CLI at a fake Responses API (`baseUrl`, e.g. the
 * fake server's, or a closed port to simulate an unreachable API). Retries are 0 so HTTP errors
 * fail the turn at once; analytics and update checks are off so nothing leaves the machine.
 */
export async function createCodexEnv(
  baseUrl: string,
  options: { streamIdleTimeoutMs?: number } = {},
): Promise<CodexTestEnv> {
  const root = await mkdtemp(join(tmpdir(), "codex-env-"));
  const home = join(root, "home");
  const codexHome = join(home, ".codex");
  const workspace = join(root, "workspace");
  await mkdir(codexHome, { recursive: true });
  await mkdir(workspace, { recursive: true });
  const config = [
    `model = "${fakeModel}"`,
    `model_provider = "local"`,
    `approval_policy = "never"`,
    `sandbox_mode = "danger-full-access"`,
    "check_for_update_on_startup = false",
    "",
    "[model_providers.local]",
    `name = "Local Responses API"`,
    `base_url = "${baseUrl}"`,
    `wire_api = "responses"`,
    `env_key = "${fakeApiKeyVar}"`,
    "request_max_retries = 0",
    "stream_max_retries = 0",
    `stream_idle_timeout_ms = ${options.streamIdleTimeoutMs ?? 60_000}`,
    "",
    "[analytics]",
    "enabled = false",
    "",
  ].join("\n");
  await writeFile(join(codexHome, "config.toml"), config, { mode: 0o600 });

  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, CODEX_HOME: codexHome };
  delete env.OPENAI_API_KEY;
  env[fakeApiKeyVar] = "sk-test-fake-key";
  return {
    home,
    codexHome,
    workspace,
    env,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
