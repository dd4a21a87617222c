import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineClient } from "../src/client/engine-client.js";
import {
  type FakeControlPlane,
  startFakeControlPlane,
  webhookRoute,
} from "./fakes/control-plane/fake-control-plane.js";
import { runCli } from "./support/cli.js";
import { TEST_SECRET } from "./support/engine-harness.js";
import { freePort, spawnEngine } from "./support/engine-process.js";
import { waitUntil } from "./support/wait-until.js";

const home = mkdtempSync(join(tmpdir(), "replicas-upstream-"));
let controlPlane: FakeControlPlane;
beforeAll(async () => {
  controlPlane = await startFakeControlPlane({
    secret: TEST_SECRET,
    workspaceId: "ws-1",
    credentialLifetimeMs: 4_000,
  });
});
afterAll(async () => {
  await controlPlane.close();
  rmSync(home, { recursive: true, force: true });
});

const upstreamEnv = () => ({
  MONOLITH_URL: controlPlane.url,
  WORKSPACE_ID: "ws-1",
  REPLICAS_WEBHOOK_BATCH_EVENTS: "5",
  REPLICAS_UPSTREAM_RETRY_BASE_MS: "50",
  REPLICAS_UPSTREAM_RETRY_MAX_MS: "200",
  REPLICAS_TOKEN_REFRESH_LEAD_MS: "2000",
});

/** Every event id in the engine's log, in position order, read with the log tool. */
async function loggedEventIds(): Promise<string[]> {
  const result = await runCli(["log", "--db", join(home, ".replicas", "engine", "engine.db")]);
  return result.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line).eventId as string);
}

describe("the engine and its control plane", () => {
  it("delivers every event through SIGKILL mid-delivery and keeps credentials fresh without leaking them", async () => {
    const port = await freePort();
    controlPlane.setDefault(webhookRoute, { kind: "delay", ms: 150 });
    const first = await spawnEngine(home, port, { env: upstreamEnv() });
    const client = new EngineClient({ baseUrl: first.url, secret: TEST_SECRET });
    await client.createChat({ chatId: "u1", provider: "claude" });
    for (let i = 0; i < 20; i++)
      await client.sendMessage("u1", { text: `reply message number ${i}` });
    await waitUntil(
      async () => (await client.getChat("u1")).chat.counters.completed === 20,
      "the turns complete",
    );
    await controlPlane.waitForAcceptedEvents(10);
    first.child.kill("SIGKILL");
    await first.child;
    const beforeRestart = controlPlane.acceptedEvents.length;
    const logged = await loggedEventIds();
    expect(beforeRestart).toBeLessThan(logged.length);

    controlPlane.setDefault(webhookRoute, { kind: "ok" });
    const second = await spawnEngine(home, port, { env: upstreamEnv() });
    await waitUntil(() => {
      const accepted = new Set(controlPlane.acceptedEvents.map((e) => e.eventId));
      return logged.every((id) => accepted.has(id));
    }, "every event logged before the kill reaches the control plane");
    const positions = controlPlane.acceptedEvents.map((e) => e.position);
    const afterRestart = positions.slice(beforeRestart);
    expect(afterRestart).toEqual([...afterRestart].sort((a, b) => a - b));
    expect(
      controlPlane.requests
        .filter((r) => r.path === webhookRoute)
        .every((r) => r.workspaceId === "ws-1"),
    ).toBe(true);

    // Refresh ahead of expiry: every credential was handed out more than once and its file is 0600.
    await waitUntil(
      () => controlPlane.issuedSecrets.length >= 6,
      "credentials are refreshed ahead of expiry",
    );
    for (const file of [".git-credentials", ".claude/.credentials.json", ".codex/auth.json"]) {
      expect(statSync(join(home, file)).mode & 0o777, file).toBe(0o600);
    }
    const health = await new EngineClient({ baseUrl: second.url, secret: TEST_SECRET }).get(
      "/token-refresh/health",
    );
    const status = await new EngineClient({ baseUrl: second.url, secret: TEST_SECRET }).status();
    expect(status).toMatchObject({ upstream: { mode: "connected" } });
    second.child.kill("SIGTERM");
    await second.child;

    const logText = (await runCli(["log", "--db", join(home, ".replicas", "engine", "engine.db")]))
      .stdout;
    const places = {
      "first engine output": first.output(),
      "second engine output": second.output(),
      "event log": logText,
      "token refresh health": JSON.stringify(health),
      status: JSON.stringify(status),
    };
    for (const secret of controlPlane.issuedSecrets) {
      for (const [place, text] of Object.entries(places))
        expect(text.includes(secret), `${place} leaks a token`).toBe(false);
    }
    expect(logText).toContain("credentials.refreshed");
    expect(readFileSync(join(home, ".git-credentials"), "utf8")).toMatch(
      /^https:\/\/x-access-token:.+@github\.com$/m,
    );
  });
});
