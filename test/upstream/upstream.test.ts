import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { parseEngineEnv } from "../../src/engine-env.js";
import { consumerCheckpoints } from "../../src/log/consumer-checkpoints.js";
import type { EventLog } from "../../src/log/event-log.js";
import { createUpstream, type Upstream } from "../../src/upstream/upstream.js";
import type { UpstreamLogger } from "../../src/upstream/upstream-logger.js";
import { logWebhookSource } from "../../src/upstream/webhook/log-webhook-source.js";
import {
  type FakeControlPlane,
  startFakeControlPlane,
} from "../fakes/control-plane/fake-control-plane.js";
import { openTestLog } from "../support/open-test-log.js";
import { appendChatEvents, loggedEvents, recordInLog } from "./upstream-test-log.js";

const secret = "engine-secret-0123456789abcdef";
const workspaceId = "ws-wired";
const quietLogger: UpstreamLogger = { info: () => {}, warn: () => {} };

let home: string;
let fake: FakeControlPlane;
let log: EventLog;
let upstream: Upstream | undefined;

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), "upstream-"));
  fake = await startFakeControlPlane({ secret, workspaceId });
  log = openTestLog(home);
});

afterEach(async () => {
  await upstream?.stop();
  upstream = undefined;
  await fake.close();
  log.close();
  rmSync(home, { recursive: true, force: true });
});

function build(source: Record<string, string>): Upstream {
  const parsed = parseEngineEnv({ HOME: home, ...source });
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  upstream = createUpstream(parsed.env, {
    source: logWebhookSource(log),
    checkpoints: consumerCheckpoints(log.db),
    record: recordInLog(log),
    logger: quietLogger,
  });
  upstream.start();
  return upstream;
}

it("connected: the webhook delivers the log and the credentials are refreshed, all from env", async () => {
  appendChatEvents(log, 1);
  const built = build({
    MONOLITH_URL: fake.url,
    WORKSPACE_ID: workspaceId,
    REPLICAS_ENGINE_SECRET: secret,
  });
  await fake.waitForAcceptedEvents(1);
  const refreshed = () =>
    loggedEvents(log).filter((e) => e.type === "credentials.refreshed").length;
  await new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + 20_000;
    const poll = () => {
      if (refreshed() === 3 && built.status().webhook?.lag === 0) return resolve();
      if (Date.now() > deadline) return reject(new Error("timed out"));
      setTimeout(poll, 20);
    };
    poll();
  });

  // The credentials.refreshed events went upstream too.
  expect(fake.acceptedEvents.filter((e) => e.type === "credentials.refreshed")).toHaveLength(3);
  expect(built.status()).toMatchObject({
    mode: "connected",
    monolithUrl: fake.url,
    workspaceId,
    webhook: { state: "idle", lag: 0, lastError: null },
  });
  expect(built.tokenRefresh.health().credentials.map((c) => c.enabled)).toEqual([true, true, true]);
  expect(statSync(join(home, ".git-credentials")).mode & 0o777).toBe(0o600);
});

it("standalone: no webhook, no refresh, and /status says so", async () => {
  appendChatEvents(log, 1);
  const built = build({});
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(built.status()).toEqual({
    mode: "standalone",
    reason: "MONOLITH_URL is not set: no webhook, no token refresh",
    webhook: null,
  });
  expect(built.tokenRefresh.health().credentials.every((c) => !c.enabled)).toBe(true);
  expect(fake.requests).toEqual([]);
});
