import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EngineClient } from "../../src/client/engine-client.js";
import { type EngineOptions, startEngine } from "../../src/engine/start-engine.js";
import { parseEngineEnv, statePaths } from "../../src/engine-env.js";
import { createLogger } from "../../src/logger.js";
import { ScriptedProvider } from "./scripted-provider.js";

export const TEST_SECRET = "test-secret-0123456789abcdef";

export interface Harness {
  url: string;
  home: string;
  client: EngineClient;
  provider: ScriptedProvider;
  databasePath: string;
  routes: string[];
  stop(): Promise<void>;
}

/**
 * The real engine in this process, on 127.0.0.1 port 0, with a private HOME and SQLite file,
 * the scripted provider standing in for both agents.
 */
export async function startHarness(
  options: { env?: Record<string, string>; home?: string; engine?: Partial<EngineOptions> } = {},
): Promise<Harness> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), "replicas-engine-"));
  const parsed = parseEngineEnv({
    HOME: home,
    REPLICAS_ENGINE_SECRET: TEST_SECRET,
    REPLICAS_ENGINE_PORT: "0",
    REPLICAS_READINESS_FILE: join(home, "ready"),
    ...options.env,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  const provider = new ScriptedProvider("claude");
  const paths = statePaths(parsed.env);
  const started = await startEngine({
    env: parsed.env,
    paths,
    secret: TEST_SECRET,
    logger: createLogger("silent"),
    providers: { claude: provider, codex: new ScriptedProvider("codex") },
    ...options.engine,
  });
  if (!started.ok) throw new Error(started.message);
  const { engine } = started;
  return {
    url: engine.url,
    home,
    client: new EngineClient({ baseUrl: engine.url, secret: TEST_SECRET }),
    provider,
    databasePath: paths.database,
    routes: engine.routes,
    async stop() {
      await engine.stop();
      if (!options.home) rmSync(home, { recursive: true, force: true });
    },
  };
}
