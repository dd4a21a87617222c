import { describe, expect, it } from "vitest";
import { agentEnvironment, engineEnvMessage, parseEngineEnv, statePaths } from "./engine-env.js";

const secret = "a-secret-of-more-than-16-chars";

describe("parseEngineEnv", () => {
  it("fills every optional variable with its default", () => {
    const parsed = parseEngineEnv({ HOME: "/home/dev" });
    if (!parsed.ok) throw new Error(parsed.problems.join("; "));
    expect(parsed.env).toMatchObject({
      REPLICAS_ENGINE_PORT: 3210,
      REPLICAS_UPSTREAM_TIMEOUT_MS: 10_000,
      REPLICAS_UPSTREAM_RETRY_BASE_MS: 1_000,
      REPLICAS_UPSTREAM_RETRY_MAX_MS: 60_000,
      REPLICAS_WEBHOOK_BATCH_EVENTS: 200,
      REPLICAS_WEBHOOK_BATCH_BYTES: 1_048_576,
      REPLICAS_TOKEN_REFRESH_KINDS: ["github", "claude", "codex"],
      REPLICAS_TOKEN_REFRESH_LEAD_MS: 600_000,
      REPLICAS_TOKEN_REFRESH_FALLBACK_MS: 2_700_000,
      REPLICAS_CLAUDE_PERMISSION_MODE: "bypassPermissions",
      REPLICAS_CODEX_SANDBOX: "danger-full-access",
      REPLICAS_CODEX_APPROVAL_POLICY: "never",
      REPLICAS_APPROVAL_TIMEOUT_MS: 1_800_000,
      REPLICAS_CLAUDE_SPARE: true,
      LOG_LEVEL: "info",
    });
    expect(parsed.env.MONOLITH_URL).toBeUndefined();
  });

  it("reports every missing and malformed variable at once, in one message", () => {
    const parsed = parseEngineEnv({
      MONOLITH_URL: "ftp://monolith.example.com",
      REPLICAS_ENGINE_PORT: "eighty",
      REPLICAS_WEBHOOK_BATCH_BYTES: "0",
      REPLICAS_TOKEN_REFRESH_KINDS: "github,gitlab",
      REPLICAS_UPSTREAM_TIMEOUT_MS: "-5",
      LOG_LEVEL: "loud",
    });
    if (parsed.ok) throw new Error("expected problems");
    expect(parsed.problems).toEqual([
      "LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent",
      "REPLICAS_ENGINE_PORT: must be a whole number",
      "MONOLITH_URL: must be an http:// or https:// URL",
      "REPLICAS_UPSTREAM_TIMEOUT_MS: must be a whole number of milliseconds",
      "REPLICAS_WEBHOOK_BATCH_BYTES: must be positive",
      "REPLICAS_TOKEN_REFRESH_KINDS.1: must list only github, claude, codex",
      "REPLICAS_ENGINE_SECRET: required when MONOLITH_URL is set",
      "WORKSPACE_ID: required when MONOLITH_URL is set",
    ]);
    const message = engineEnvMessage(parsed.problems);
    expect(message.split("\n")).toEqual([
      "replicas-engine: invalid environment (8 problems; see docs/configuration.md):",
      ...parsed.problems.map((p) => `  - ${p}`),
    ]);
  });

  it("takes the agents' permission defaults and the approval timeout from the environment", () => {
    const parsed = parseEngineEnv({
      REPLICAS_CLAUDE_PERMISSION_MODE: "default",
      REPLICAS_CODEX_SANDBOX: "workspace-write",
      REPLICAS_CODEX_APPROVAL_POLICY: "untrusted",
      REPLICAS_APPROVAL_TIMEOUT_MS: "60000",
    });
    if (!parsed.ok) throw new Error(parsed.problems.join("; "));
    expect(parsed.env).toMatchObject({
      REPLICAS_CLAUDE_PERMISSION_MODE: "default",
      REPLICAS_CODEX_SANDBOX: "workspace-write",
      REPLICAS_CODEX_APPROVAL_POLICY: "untrusted",
      REPLICAS_APPROVAL_TIMEOUT_MS: 60_000,
    });
  });

  it("names the values a bad permission default may take, and refuses a zero timeout", () => {
    const parsed = parseEngineEnv({
      REPLICAS_CLAUDE_PERMISSION_MODE: "yolo",
      REPLICAS_CODEX_SANDBOX: "none",
      REPLICAS_CODEX_APPROVAL_POLICY: "always",
      REPLICAS_APPROVAL_TIMEOUT_MS: "0",
    });
    if (parsed.ok) throw new Error("expected problems");
    expect(parsed.problems).toEqual([
      "REPLICAS_CLAUDE_PERMISSION_MODE: must be one of default, acceptEdits, plan, bypassPermissions",
      "REPLICAS_CODEX_SANDBOX: must be one of read-only, workspace-write, danger-full-access",
      "REPLICAS_CODEX_APPROVAL_POLICY: must be one of untrusted, on-failure, on-request, never",
      "REPLICAS_APPROVAL_TIMEOUT_MS: must be positive",
    ]);
  });

  it("refuses a duration past the longest timer delay (2^31 - 1 ms), naming the limit", () => {
    const parsed = parseEngineEnv({
      REPLICAS_APPROVAL_TIMEOUT_MS: "2147483648",
      REPLICAS_TURN_WATCHDOG_MS: "99999999999",
      REPLICAS_TOKEN_REFRESH_FALLBACK_MS: "2147483647",
      REPLICAS_INTERRUPT_GRACE_MS: "715827883",
    });
    if (parsed.ok) throw new Error("expected problems");
    expect(parsed.problems).toEqual([
      "REPLICAS_TURN_WATCHDOG_MS: must be at most 2147483647 (about 24.8 days)",
      "REPLICAS_INTERRUPT_GRACE_MS: must be at most 715827882 (three of it must fit a timer)",
      "REPLICAS_APPROVAL_TIMEOUT_MS: must be at most 2147483647 (about 24.8 days)",
    ]);
  });

  it("turns the spare Claude process off with REPLICAS_CLAUDE_SPARE=0 and names 0 and 1", () => {
    const off = parseEngineEnv({ REPLICAS_CLAUDE_SPARE: "0" });
    if (!off.ok) throw new Error(off.problems.join("; "));
    expect(off.env.REPLICAS_CLAUDE_SPARE).toBe(false);
    expect(parseEngineEnv({ REPLICAS_CLAUDE_SPARE: "no" })).toEqual({
      ok: false,
      problems: ["REPLICAS_CLAUDE_SPARE: must be one of 0, 1"],
    });
  });

  it("requires the secret and the workspace id once MONOLITH_URL is set", () => {
    const missing = parseEngineEnv({ MONOLITH_URL: "https://monolith.example.com" });
    expect(missing).toEqual({
      ok: false,
      problems: [
        "REPLICAS_ENGINE_SECRET: required when MONOLITH_URL is set",
        "WORKSPACE_ID: required when MONOLITH_URL is set",
      ],
    });
    const complete = parseEngineEnv({
      MONOLITH_URL: "https://monolith.example.com",
      WORKSPACE_ID: "ws-1",
      REPLICAS_ENGINE_SECRET: secret,
    });
    expect(complete.ok).toBe(true);
  });

  it("refuses a MONOLITH_URL with credentials in it, without echoing them", () => {
    const parsed = parseEngineEnv({
      MONOLITH_URL: "https://user:hunter2@monolith.example.com",
      WORKSPACE_ID: "ws-1",
      REPLICAS_ENGINE_SECRET: secret,
    });
    if (parsed.ok) throw new Error("expected problems");
    expect(parsed.problems).toEqual(["MONOLITH_URL: must not contain credentials"]);
    expect(engineEnvMessage(parsed.problems)).not.toContain("hunter2");
  });

  it("still requires the secret in production", () => {
    expect(parseEngineEnv({ NODE_ENV: "production" })).toEqual({
      ok: false,
      problems: ["REPLICAS_ENGINE_SECRET: required when NODE_ENV=production"],
    });
  });

  it("places the credential files under HOME unless CODEX_HOME or CLAUDE_CONFIG_DIR say otherwise", () => {
    const plain = parseEngineEnv({ HOME: "/home/dev" });
    const moved = parseEngineEnv({
      HOME: "/home/dev",
      CODEX_HOME: "/opt/codex",
      CLAUDE_CONFIG_DIR: "/opt/claude",
    });
    if (!plain.ok || !moved.ok) throw new Error("env");
    expect(statePaths(plain.env)).toMatchObject({
      gitCredentials: "/home/dev/.git-credentials",
      claudeCredentials: "/home/dev/.claude/.credentials.json",
      codexAuth: "/home/dev/.codex/auth.json",
    });
    expect(statePaths(moved.env)).toMatchObject({
      claudeCredentials: "/opt/claude/.credentials.json",
      codexAuth: "/opt/codex/auth.json",
    });
  });
});

describe("agentEnvironment", () => {
  it("hands the agents the engine's environment without the engine's own variables", () => {
    const env = agentEnvironment({
      PATH: "/usr/bin",
      ANTHROPIC_BASE_URL: "http://127.0.0.1:1",
      CLAUDE_CODE_USE_BEDROCK: "1",
      AWS_REGION: "eu-west-1",
      GITHUB_TOKEN: "ghp_x",
      GOPATH: "/go",
      REPLICAS_ENGINE_SECRET: secret,
      REPLICAS_ENGINE_PORT: "3210",
      MONOLITH_URL: "https://monolith.example.com",
      WORKSPACE_ID: "ws-1",
    });
    expect(Object.keys(env).sort()).toEqual(
      [
        "ANTHROPIC_BASE_URL",
        "AWS_REGION",
        "CLAUDE_CODE_USE_BEDROCK",
        "GITHUB_TOKEN",
        "GOPATH",
        "PATH",
        "WORKSPACE_ID",
      ].sort(),
    );
    expect(JSON.stringify(env)).not.toContain(secret);
  });
});
