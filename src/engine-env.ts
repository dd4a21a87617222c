import { homedir } from "node:os";
import { dirname, join } from "node:path";
import * as v from "valibot";
import { ApprovalPolicy, PermissionMode, Sandbox } from "./events/chat-settings.js";
import { MAX_TIMER_DELAY_MS } from "./max-timer-delay.js";

/**
 * Every environment variable the engine reads, in one schema. Boot validates it and stops with
 * one message naming every bad variable. docs/configuration.md lists them all.
 */
const Port = v.pipe(
  v.string(),
  v.regex(/^\d+$/, "must be a whole number"),
  v.transform(Number),
  v.maxValue(65535, "must be at most 65535"),
);
const Millis = v.pipe(
  v.string(),
  v.regex(/^\d+$/, "must be a whole number of milliseconds"),
  v.transform(Number),
  v.minValue(1, "must be positive"),
  // Every one of them ends up in a timer, which fires after 1 ms past this limit.
  v.maxValue(MAX_TIMER_DELAY_MS, `must be at most ${MAX_TIMER_DELAY_MS} (about 24.8 days)`),
);
/** The interrupt's grace: the escalation waits up to three times it (signal, kill, give up). */
const GRACE_LIMIT_MS = Math.floor(MAX_TIMER_DELAY_MS / 3);
const GraceMillis = v.pipe(
  Millis,
  v.maxValue(GRACE_LIMIT_MS, `must be at most ${GRACE_LIMIT_MS} (three of it must fit a timer)`),
);
const Count = v.pipe(
  v.string(),
  v.regex(/^\d+$/, "must be a whole number"),
  v.transform(Number),
  v.minValue(1, "must be positive"),
);
/** The control plane's base URL: http(s) only, and no user:password (it would end up in logs). */
const ControlPlaneUrl = v.pipe(
  v.string(),
  v.check((s) => URL.canParse(s), "must be a URL such as https://host"),
  // Later checks still run after a failed one (all problems are reported): parse defensively.
  v.check(
    (s) => !URL.canParse(s) || /^https?:$/.test(new URL(s).protocol),
    "must be an http:// or https:// URL",
  ),
  v.check(
    (s) => !URL.canParse(s) || (!new URL(s).username && !new URL(s).password),
    "must not contain credentials",
  ),
);
const NonEmpty = v.pipe(v.string(), v.minLength(1, "must not be empty"));
const CredentialKinds = v.pipe(
  v.string(),
  v.transform((s) =>
    s
      .split(",")
      .map((kind) => kind.trim())
      .filter((kind) => kind !== ""),
  ),
  v.array(v.picklist(["github", "claude", "codex"], "must list only github, claude, codex")),
);

/** One of a fixed list of values, with a boot message that lists them. */
const OneOf = <const T extends readonly [string, ...string[]]>(options: T) =>
  v.picklist(options, `must be one of ${options.join(", ")}`);

const EngineEnvSchema = v.object({
  NODE_ENV: v.optional(v.string(), "development"),
  LOG_LEVEL: v.optional(
    OneOf(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
    "info",
  ),
  HOME: v.optional(NonEmpty, homedir()),
  REPLICAS_ENGINE_SECRET: v.optional(
    v.pipe(v.string(), v.minLength(16, "must be at least 16 characters")),
  ),
  REPLICAS_ENGINE_PORT: v.optional(Port, "3210"),
  REPLICAS_ENGINE_HOST: v.optional(NonEmpty, "127.0.0.1"),
  REPLICAS_ENGINE_DB: v.optional(NonEmpty),
  REPLICAS_CLAUDE_BIN: v.optional(NonEmpty),
  REPLICAS_CODEX_BIN: v.optional(NonEmpty),
  REPLICAS_WORKSPACES_ROOT: v.optional(NonEmpty),
  REPLICAS_READINESS_FILE: v.optional(NonEmpty, "/var/log/cloud-init-output.log"),
  REPLICAS_TURN_WATCHDOG_MS: v.optional(Millis, "600000"),
  REPLICAS_INTERRUPT_GRACE_MS: v.optional(GraceMillis, "1000"),
  REPLICAS_CLAUDE_IDLE_MS: v.optional(Millis, "600000"),
  /** `1`: one `claude` is kept started ahead for the next new chat (docs/claude.md). */
  REPLICAS_CLAUDE_SPARE: v.optional(
    v.pipe(
      OneOf(["0", "1"]),
      v.transform((s) => s === "1"),
    ),
    "1",
  ),
  REPLICAS_ATTACHMENT_GRACE_MS: v.optional(Millis, "86400000"),
  // Engine-wide defaults of the agents' permissions; a chat's or a message's settings override
  // them. The VM is the sandbox: by default both agents edit and run commands without asking.
  REPLICAS_CLAUDE_PERMISSION_MODE: v.optional(OneOf(PermissionMode.options), "bypassPermissions"),
  REPLICAS_CODEX_SANDBOX: v.optional(OneOf(Sandbox.options), "danger-full-access"),
  REPLICAS_CODEX_APPROVAL_POLICY: v.optional(OneOf(ApprovalPolicy.options), "never"),
  /** An approval request nobody answers is denied (`by: "timeout"`) after this long. */
  REPLICAS_APPROVAL_TIMEOUT_MS: v.optional(Millis, "1800000"),
  REPLICAS_INSPECT_URL: v.optional(
    v.pipe(v.string(), v.regex(/^wss?:\/\/[^/\s]+/, "must be a ws:// URL of an inspector relay")),
  ),
  MONOLITH_URL: v.optional(ControlPlaneUrl),
  WORKSPACE_ID: v.optional(NonEmpty),
  REPLICAS_UPSTREAM_TIMEOUT_MS: v.optional(Millis, "10000"),
  REPLICAS_UPSTREAM_RETRY_BASE_MS: v.optional(Millis, "1000"),
  REPLICAS_UPSTREAM_RETRY_MAX_MS: v.optional(Millis, "60000"),
  REPLICAS_WEBHOOK_BATCH_EVENTS: v.optional(Count, "200"),
  REPLICAS_WEBHOOK_BATCH_BYTES: v.optional(Count, "1048576"),
  REPLICAS_TOKEN_REFRESH_KINDS: v.optional(CredentialKinds, "github,claude,codex"),
  REPLICAS_TOKEN_REFRESH_LEAD_MS: v.optional(Millis, "600000"),
  REPLICAS_TOKEN_REFRESH_FALLBACK_MS: v.optional(Millis, "2700000"),
  // Read by the agent CLIs too: where Codex and Claude Code keep their credentials.
  CODEX_HOME: v.optional(NonEmpty),
  CLAUDE_CONFIG_DIR: v.optional(NonEmpty),
});

export type EngineEnv = v.InferOutput<typeof EngineEnvSchema>;

export type EngineEnvResult = { ok: true; env: EngineEnv } | { ok: false; problems: string[] };

export function parseEngineEnv(source: NodeJS.ProcessEnv): EngineEnvResult {
  const result = v.safeParse(EngineEnvSchema, source, { abortEarly: false });
  const problems = [
    ...(result.issues ?? []).map(
      (issue) => `${v.getDotPath(issue) ?? "environment"}: ${issue.message}`,
    ),
    ...requirementProblems(source),
  ];
  if (!result.success || problems.length > 0) return { ok: false, problems };
  return { ok: true, env: result.output };
}

/**
 * Variables that become required because of another one. Checked on the raw strings so that
 * they are reported together with the malformed ones, in a single boot message.
 */
function requirementProblems(source: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  const secretMissing = !source.REPLICAS_ENGINE_SECRET;
  if (source.NODE_ENV === "production" && secretMissing) {
    problems.push("REPLICAS_ENGINE_SECRET: required when NODE_ENV=production");
  }
  // Every control-plane call carries the secret as Bearer and the workspace id as a header.
  if (source.MONOLITH_URL) {
    if (secretMissing) problems.push("REPLICAS_ENGINE_SECRET: required when MONOLITH_URL is set");
    if (!source.WORKSPACE_ID) problems.push("WORKSPACE_ID: required when MONOLITH_URL is set");
  }
  return problems;
}

/** The one boot message for a bad environment: every problem on its own line. */
export function engineEnvMessage(problems: readonly string[]): string {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return [
    `replicas-engine: invalid environment (${count}; see docs/configuration.md):`,
    ...problems.map((problem) => `  - ${problem}`),
  ].join("\n");
}

/**
 * Whether a variable is the engine's own (its secret, its settings, its control plane) rather
 * than part of the environment the agents work in.
 */
export function isEngineOwnVariable(name: string): boolean {
  return name.startsWith("REPLICAS_") || name === "MONOLITH_URL";
}

/**
 * The environment an agent CLI is started with: the engine's environment, as the agents'
 * tools (git, gh, compilers, cloud CLIs) expect it, minus the engine's own variables, so
 * REPLICAS_ENGINE_SECRET never reaches an agent whose shell tool could print it.
 */
export function agentEnvironment(source: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value !== undefined && !isEngineOwnVariable(name)) env[name] = value;
  }
  return env;
}

/** Where the engine keeps its state, all under $HOME/.replicas unless overridden. */
export function statePaths(env: EngineEnv) {
  const root = join(env.HOME, ".replicas");
  const database = env.REPLICAS_ENGINE_DB ?? join(root, "engine", "engine.db");
  return {
    root,
    engineDir: join(root, "engine"),
    database,
    /** Uploaded attachments, beside the database they are referenced from. */
    blobs: join(dirname(database), "blobs"),
    secretFile: join(root, "engine", "secret"),
    chatsExport: join(root, "engine", "chats.json"),
    stateExport: join(root, "engine-state.json"),
    startHooksLog: join(root, "startHooks.log"),
    workspacesRoot: env.REPLICAS_WORKSPACES_ROOT ?? join(env.HOME, "workspaces"),
    claudePlans: join(env.HOME, ".claude", "plans"),
    replicasPlans: join(root, "plans"),
    gitCredentials: join(env.HOME, ".git-credentials"),
    claudeCredentials: join(
      env.CLAUDE_CONFIG_DIR ?? join(env.HOME, ".claude"),
      ".credentials.json",
    ),
    codexAuth: join(env.CODEX_HOME ?? join(env.HOME, ".codex"), "auth.json"),
  };
}
export type StatePaths = ReturnType<typeof statePaths>;
