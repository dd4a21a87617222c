import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cliBundleDir } from "../../src/cli/bundle-cli.js";
import { EngineClient } from "../../src/client/engine-client.js";
import { cliPath, supportScript } from "../support/cli.js";
import { TEST_SECRET } from "../support/engine-harness.js";
import { type EngineProcess, freePort, spawnEngine } from "../support/engine-process.js";
import { openEventFeed } from "../support/event-feed.js";

/** The bundle's chunk that `prefix` names (esbuild's `<entry>-<hash>.js`). */
function chunk(prefix: string): string {
  const name = readdirSync(cliBundleDir).find((f) => f.startsWith(prefix) && f.endsWith(".js"));
  if (!name) throw new Error(`no ${prefix}*.js in ${cliBundleDir}`);
  return name;
}

/** The chunk that holds execa's code: the one its facade (`execa-<hash>.js`) imports. */
function execaCodeChunk(): string {
  const facade = readFileSync(join(cliBundleDir, chunk("execa-")), "utf8");
  const imported = /from"\.\/(chunk-[A-Z0-9]+\.js)"/.exec(facade)?.[1];
  if (!imported) throw new Error("the execa facade imports no chunk");
  return imported;
}

/**
 * What an idle engine has loaded: the real command (the bundle in dist/bin), every ES module
 * it loads written down by a loader hook. Memory follows the code loaded, and an engine
 * that only answers /health needs neither the agents' adapters nor execa.
 */
describe("an idle engine's code", () => {
  let home: string;
  let engine: EngineProcess;
  let moduleLog: string;
  const loaded = () => readFileSync(moduleLog, "utf8").split("\n");
  const loads = (file: string) => loaded().some((url) => url.endsWith(`/${file}`));

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), "replicas-idle-modules-"));
    moduleLog = join(home, "modules.log");
    engine = await spawnEngine(home, await freePort(), {
      args: ["--import", supportScript("module-log"), cliPath, "serve"],
      env: { MODULE_LOG: moduleLog },
    });
  });
  afterAll(async () => {
    engine.child.kill("SIGTERM");
    await engine.child;
    rmSync(home, { recursive: true, force: true });
  });

  test("after /health and the deferred start, neither the adapters nor execa are loaded; the first /status loads them", async () => {
    const client = new EngineClient({ baseUrl: engine.url, secret: TEST_SECRET });
    expect((await fetch(`${engine.url}/health`)).status).toBe(200);
    // The start hooks' run is the deferred start's last step to be recorded.
    const feed = openEventFeed(client);
    try {
      await feed.waitFor("hooks.run.completed");
    } finally {
      await feed.stop();
    }
    expect(loads(chunk("run-engine-process-"))).toBe(true);
    expect(loads(chunk("create-providers-"))).toBe(false);
    expect(loads(execaCodeChunk())).toBe(false);

    const status = await client.status();
    expect(Object.keys(status.providers as object).sort()).toEqual(["claude", "codex"]);
    expect(loads(chunk("create-providers-"))).toBe(true);
    expect(loads(execaCodeChunk())).toBe(true);
  });
});
