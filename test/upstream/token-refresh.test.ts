import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type EngineEnv, parseEngineEnv } from "../../src/engine-env.js";
import type { EventLog } from "../../src/log/event-log.js";
import {
  createTokenRefresh,
  type TokenRefresh,
} from "../../src/upstream/credentials/token-refresh.js";
import { unrefScheduler } from "../../src/upstream/scheduler.js";
import { controlPlaneFromEnv } from "../../src/upstream/upstream.js";
import type { UpstreamLogger } from "../../src/upstream/upstream-logger.js";
import {
  type FakeControlPlane,
  startFakeControlPlane,
} from "../fakes/control-plane/fake-control-plane.js";
import {
  type CredentialKindName,
  credentialRoutes,
  fakeJwt,
} from "../fakes/control-plane/issued-credentials.js";
import { openTestLog } from "../support/open-test-log.js";
import { loggedEvents, recordInLog } from "./upstream-test-log.js";

const secret = "engine-secret-0123456789abcdef";
const workspaceId = "ws-refresh-1";
const kinds: CredentialKindName[] = ["github", "claude", "codex"];

let home: string;
let fake: FakeControlPlane;
let log: EventLog;
let logLines: string[];
const running: TokenRefresh[] = [];

const captureLogger: UpstreamLogger = {
  info: (fields, message) => logLines.push(`info ${message} ${JSON.stringify(fields)}`),
  warn: (fields, message) => logLines.push(`warn ${message} ${JSON.stringify(fields)}`),
};

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), "refresh-home-"));
  fake = await startFakeControlPlane({ secret, workspaceId });
  log = openTestLog(home);
  logLines = [];
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
  await fake.close();
  log.close();
  rmSync(home, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}): EngineEnv {
  const parsed = parseEngineEnv({
    HOME: home,
    MONOLITH_URL: fake.url,
    WORKSPACE_ID: workspaceId,
    REPLICAS_ENGINE_SECRET: secret,
    REPLICAS_UPSTREAM_RETRY_BASE_MS: "50",
    REPLICAS_UPSTREAM_RETRY_MAX_MS: "400",
    ...extra,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  return parsed.env;
}

function start(engineEnv: EngineEnv, random: () => number = Math.random): TokenRefresh {
  const refresh = createTokenRefresh(engineEnv, {
    controlPlane: controlPlaneFromEnv(engineEnv),
    retry: {
      baseMs: engineEnv.REPLICAS_UPSTREAM_RETRY_BASE_MS,
      maxMs: engineEnv.REPLICAS_UPSTREAM_RETRY_MAX_MS,
    },
    scheduler: unrefScheduler,
    random,
    record: recordInLog(log),
    logger: captureLogger,
  });
  running.push(refresh);
  refresh.start();
  return refresh;
}

const files = {
  github: () => join(home, ".git-credentials"),
  claude: () => join(home, ".claude", ".credentials.json"),
  codex: () => join(home, ".codex", "auth.json"),
};

function requestsTo(kind: CredentialKindName) {
  return fake.requests.filter((r) => r.path === credentialRoutes[kind]);
}

function healthOf(refresh: TokenRefresh, kind: CredentialKindName) {
  const health = refresh.health().credentials.find((c) => c.kind === kind);
  if (!health) throw new Error(`no health for ${kind}`);
  return health;
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function issuedGithubToken(): string {
  const body = fake.lastIssued("github")?.body as { token?: string } | undefined;
  if (!body?.token) throw new Error("no GitHub token issued");
  return body.token;
}

/** The file holds exactly what the control plane handed out last, in the kind's format. */
function expectFileHoldsLastIssued(kind: CredentialKindName): void {
  const issued = fake.lastIssued(kind)?.body as Record<string, unknown>;
  const content = readFileSync(files[kind](), "utf8");
  if (kind === "github") {
    expect(content.split("\n")[0]).toBe(`https://x-access-token:${issued.token}@github.com`);
  } else {
    expect(JSON.parse(content)).toEqual(issued);
  }
  expect(statSync(files[kind]()).mode & 0o777).toBe(0o600);
}

describe("token refresh against a fake control plane", () => {
  it("refreshes all three credentials ahead of their expiry, in their file formats", async () => {
    fake.setCredentialLifetime(4_000);
    const refresh = start(env({ REPLICAS_TOKEN_REFRESH_LEAD_MS: "2000" }));
    for (const kind of kinds) await fake.waitForRequests(credentialRoutes[kind], 2);

    for (const kind of kinds) {
      const [first, second] = requestsTo(kind);
      if (!first || !second) throw new Error("two requests expected");
      // The second refresh came before the first credential expired (4 s after it was issued).
      expect(second.at).toBeLessThan(first.at + 4_000);
      expect(second.at - first.at).toBeGreaterThanOrEqual(1_000);
      expect(first.authorization).toBe(`Bearer ${secret}`);
      expect(first.workspaceId).toBe(workspaceId);
      expect(first.body).toEqual({ workspaceId, expiresAt: null });
    }
    await until(
      () => loggedEvents(log).filter((e) => e.type === "credentials.refreshed").length >= 6,
      "6 refreshes",
    );
    for (const kind of kinds) {
      await until(() => healthOf(refresh, kind).state === "scheduled", `${kind} scheduled`);
      expectFileHoldsLastIssued(kind);
      const health = healthOf(refresh, kind);
      expect(health).toMatchObject({ enabled: true, consecutiveFailures: 0, lastError: null });
      const expiresAt = Date.parse(health.expiresAt ?? "");
      expect(expiresAt).toBeGreaterThan(Date.now());
      // Lead 2 s, or half the remaining life if shorter (the answer took a few ms).
      const lead = expiresAt - Date.parse(health.nextRefreshAt ?? "");
      expect(lead).toBeGreaterThan(1_500);
      expect(lead).toBeLessThanOrEqual(2_000);
    }
    // The second request told the control plane when the credential on disk expires.
    for (const kind of kinds) {
      const body = requestsTo(kind)[1]?.body as { expiresAt?: string } | undefined;
      expect(body?.expiresAt).toMatch(/^\d{4}-/);
    }
  });

  it("at start, refreshes a credential inside the lead window and leaves a distant one alone", async () => {
    const inOneHour = Date.now() + 3_600_000;
    mkdirSync(join(home, ".claude"));
    writeFileSync(
      files.claude(),
      JSON.stringify({
        claudeAiOauth: { accessToken: "a", expiresAt: inOneHour },
        mcpOAuth: { x: 1 },
      }),
    );
    mkdirSync(join(home, ".codex"));
    const soon = fakeJwt({ exp: Math.floor(Date.now() / 1000) + 30 });
    writeFileSync(
      files.codex(),
      JSON.stringify({
        auth_mode: "chatgpt",
        tokens: { id_token: "i", access_token: soon, refresh_token: "r" },
      }),
    );
    const timersBefore = countTimers();
    const refresh = start(
      env({
        REPLICAS_TOKEN_REFRESH_KINDS: "claude,codex",
        REPLICAS_TOKEN_REFRESH_LEAD_MS: "600000",
      }),
    );
    await fake.waitForRequests(credentialRoutes.codex, 1);
    await until(() => healthOf(refresh, "codex").lastSuccessAt !== null, "codex refreshed");
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(requestsTo("claude")).toEqual([]);
    expect(requestsTo("github")).toEqual([]);
    expect(healthOf(refresh, "claude")).toMatchObject({
      enabled: true,
      state: "scheduled",
      expiresAt: new Date(inOneHour).toISOString(),
      nextRefreshAt: new Date(inOneHour - 600_000).toISOString(),
      lastSuccessAt: null,
    });
    expect(healthOf(refresh, "github")).toMatchObject({ enabled: false, state: "disabled" });
    // Both refresh timers are pending, and neither keeps the process alive.
    expect(countTimers()).toBeLessThanOrEqual(timersBefore);
    expectFileHoldsLastIssued("codex");
  });

  it("keeps every other line of ~/.git-credentials and puts its own line first", async () => {
    writeFileSync(
      files.github(),
      [
        "https://user:pw@gitlab.example.com",
        "https://x-access-token:ghs_old@github.com",
        "https://someone:personal@github.com",
        "",
      ].join("\n"),
    );
    const refresh = start(env({ REPLICAS_TOKEN_REFRESH_KINDS: "github" }));
    await until(() => healthOf(refresh, "github").lastSuccessAt !== null, "github refreshed");
    const token = issuedGithubToken();
    expect(readFileSync(files.github(), "utf8")).toBe(
      [
        `https://x-access-token:${token}@github.com`,
        "https://user:pw@gitlab.example.com",
        "https://someone:personal@github.com",
        "",
      ].join("\n"),
    );
  });

  it("backs off on failures, keeps the old file, records one failure, then recovers", async () => {
    mkdirSync(join(home, ".claude"));
    const old = JSON.stringify({ claudeAiOauth: { accessToken: "old", expiresAt: Date.now() } });
    writeFileSync(files.claude(), old);
    const route = credentialRoutes.claude;
    fake.enqueue(
      route,
      { kind: "status", status: 500 },
      { kind: "status", status: 503 },
      { kind: "status", status: 200, body: '{"claudeAiOauth":{"accessToken":42}}' },
      { kind: "status", status: 502 },
    );
    // random 1: the full exponential step, 50, 100, 200, 400 ms.
    const refresh = start(env({ REPLICAS_TOKEN_REFRESH_KINDS: "claude" }), () => 1);
    await until(() => healthOf(refresh, "claude").consecutiveFailures === 3, "three failures");
    const failing = healthOf(refresh, "claude");
    expect(failing.state).toBe("retrying");
    expect(failing.lastError).toMatchObject({
      status: 200,
      message: 'invalid answer: field "claudeAiOauth.accessToken"',
    });
    expect(Date.parse(failing.nextRefreshAt ?? "")).toBeGreaterThan(
      Date.parse(failing.lastError?.at ?? ""),
    );
    expect(readFileSync(files.claude(), "utf8")).toBe(old);

    await until(() => healthOf(refresh, "claude").lastSuccessAt !== null, "recovery");
    const arrivals = requestsTo("claude").map((r) => r.at);
    expect(arrivals).toHaveLength(5);
    const gaps = arrivals.slice(1).map((at, i) => at - (arrivals[i] ?? 0));
    [50, 100, 200, 400].forEach((delay, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(delay - 5);
    });
    const events = loggedEvents(log);
    expect(events.map((e) => e.type)).toEqual([
      "credentials.refresh.failed",
      "credentials.refreshed",
    ]);
    expect(events[0]?.data).toMatchObject({ kind: "claude", status: 500, error: "HTTP 500" });
    expect(events[1]?.data).toMatchObject({ kind: "claude", recoveredAfterFailures: 4 });
    expect(healthOf(refresh, "claude")).toMatchObject({
      consecutiveFailures: 0,
      state: "scheduled",
    });
    expectFileHoldsLastIssued("claude");
  });

  it("replaces a 0644 file with a 0600 one and creates a missing directory", async () => {
    mkdirSync(join(home, ".codex"));
    writeFileSync(files.codex(), '{"auth_mode":"apikey","OPENAI_API_KEY":"sk-old"}');
    chmodSync(files.codex(), 0o644);
    const refresh = start(env({ REPLICAS_TOKEN_REFRESH_KINDS: "codex,claude" }));
    await until(
      () => kinds.slice(1).every((k) => healthOf(refresh, k as CredentialKindName).lastSuccessAt),
      "both refreshed",
    );
    expect(statSync(files.codex()).mode & 0o777).toBe(0o600);
    expect(statSync(files.claude()).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, ".claude")).mode & 0o777).toBe(0o700);
  });

  it("never puts a token in logs, events or health, even when answers are malformed", async () => {
    const planted = "sk-ant-oat01-plantedsecretvalue0123456789";
    fake.enqueue(
      credentialRoutes.claude,
      { kind: "status", status: 500, body: JSON.stringify({ leaked: planted }) },
      {
        kind: "status",
        status: 200,
        body: JSON.stringify({ claudeAiOauth: { accessToken: 1, expiresAt: planted } }),
      },
    );
    fake.enqueue(credentialRoutes.github, {
      kind: "status",
      status: 200,
      body: JSON.stringify({ token: `${planted} with spaces` }),
    });
    fake.setCredentialLifetime(3_000);
    const refresh = start(env({ REPLICAS_TOKEN_REFRESH_LEAD_MS: "1500" }));
    for (const kind of kinds) await fake.waitForRequests(credentialRoutes[kind], 3);
    await until(
      () => kinds.every((k) => healthOf(refresh, k).lastSuccessAt !== null),
      "all refreshed",
    );

    const events = loggedEvents(log);
    const searched = JSON.stringify({ logLines, events, health: refresh.health() });
    const secrets = [...fake.issuedSecrets, planted, secret];
    expect(fake.issuedSecrets.length).toBeGreaterThanOrEqual(8);
    for (const value of secrets) expect(searched).not.toContain(value);
    // And the search is meaningful: the tokens did reach the files.
    expect(readFileSync(files.github(), "utf8")).toContain(issuedGithubToken());
    expect(events.some((e) => e.type === "credentials.refresh.failed")).toBe(true);
  });

  it("stop() aborts a refresh in flight and resolves; nothing is written", async () => {
    fake.setDefault(credentialRoutes.github, { kind: "hang" });
    const refresh = start(env({ REPLICAS_TOKEN_REFRESH_KINDS: "github" }));
    await fake.waitForRequests(credentialRoutes.github, 1);
    expect(healthOf(refresh, "github").state).toBe("refreshing");
    await refresh.stop();
    expect(healthOf(refresh, "github")).toMatchObject({ state: "stopped", nextRefreshAt: null });
    expect(() => statSync(files.github())).toThrow();
    expect(loggedEvents(log)).toEqual([]);
  });

  it("in standalone mode every credential is disabled and the control plane is never called", async () => {
    const standalone = parseEngineEnv({ HOME: home });
    if (!standalone.ok) throw new Error("env");
    const refresh = start(standalone.env);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(refresh.health().credentials.map((c) => [c.kind, c.enabled, c.state])).toEqual([
      ["github", false, "disabled"],
      ["claude", false, "disabled"],
      ["codex", false, "disabled"],
    ]);
    expect(fake.requests).toEqual([]);
  });
});

function countTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
}
