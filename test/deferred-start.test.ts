import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ProviderName } from "../src/events/chat-settings.js";
import type { AgentProvider } from "../src/providers/provider.js";
import { startHarness } from "./support/engine-harness.js";
import { ScriptedProvider } from "./support/scripted-provider.js";
import { useTempDir } from "./support/temp-dir.js";
import { waitUntil } from "./support/wait-until.js";
import { commitFiles, initRepo } from "./workspace/git-fixture.js";

const tempDir = useTempDir("replicas-deferred-start-");

/** A workspace whose start hook leaves a file behind, and agents that count their probes. */
async function workspace() {
  const home = tempDir();
  const marker = join(home, "hook-ran");
  const repo = join(home, "workspaces", "app");
  await initRepo(repo);
  await commitFiles(repo, {
    ".replicas/start-hooks.json": JSON.stringify({
      hooks: [{ name: "mark", command: ["touch", marker] }],
    }),
  });
  const probed: ProviderName[] = [];
  const counted = (name: ProviderName): AgentProvider => {
    const provider = new ScriptedProvider(name);
    const probe = provider.probe.bind(provider);
    provider.probe = () => {
      probed.push(name);
      return probe();
    };
    return provider;
  };
  return {
    home,
    marker,
    probed,
    providers: { claude: counted("claude"), codex: counted("codex") },
  };
}

describe("the deferred start (what waits until the engine has answered)", () => {
  it("once /health has answered, the start hooks run; the agents are probed when /status first asks", async () => {
    const { home, marker, probed, providers } = await workspace();
    const engine = await startHarness({ home, engine: { providers } });
    const health = await fetch(`${engine.url}/health`);
    expect(health.status).toBe(200);
    await waitUntil(() => existsSync(marker), "the start hook runs");
    expect(probed).toEqual([]);
    type Status = { providers: Record<string, { found: boolean; version: string }> };
    const first = await engine.client.get<Status>("/status");
    expect(first.providers).toEqual({
      claude: { found: true, path: "scripted", version: "1.0.0" },
      codex: { found: true, path: "scripted", version: "1.0.0" },
    });
    const second = await engine.client.get<Status>("/status");
    expect(second.providers).toEqual(first.providers);
    // Once per engine: later answers reuse the probes.
    expect(probed.sort()).toEqual(["claude", "codex"]);
    await engine.stop();
  });

  it("with no request at all, the start hooks run anyway, and no agent is probed", async () => {
    const { home, marker, probed, providers } = await workspace();
    const engine = await startHarness({ home, engine: { providers } });
    await waitUntil(() => existsSync(marker), "the deferred start runs");
    expect(probed).toEqual([]);
    await engine.stop();
  });
});
