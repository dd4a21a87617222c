import { EngineClient } from "../src/client/engine-client.js";
import { supportScript } from "../test/support/cli.js";
import { TEST_SECRET } from "../test/support/engine-harness.js";
import { freePort, spawnEngine } from "../test/support/engine-process.js";
import { benchTempDir } from "./bench-temp.js";

export interface EngineChild {
  url: string;
  client: EngineClient;
  stop(): Promise<void>;
}

/**
 * The engine as its own process (scripted provider, fresh HOME), as a client sees it. With
 * BENCH_PROFILE_DIR set, the engine writes a V8 CPU profile there when it stops.
 */
export async function startEngineChild(name: string): Promise<EngineChild> {
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const engine = await spawnEngine(benchTempDir(name), await freePort(), {
    args: [
      ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []),
      supportScript("scripted-engine"),
    ],
  });
  return {
    url: engine.url,
    client: new EngineClient({ baseUrl: engine.url, secret: TEST_SECRET }),
    async stop() {
      engine.child.kill("SIGTERM");
      await engine.child;
    },
  };
}
