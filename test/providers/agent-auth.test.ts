import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { silentLogger } from "../../src/logger.js";
import { ClaudeProvider } from "../../src/providers/claude/claude-provider.js";
import { CodexProvider } from "../../src/providers/codex/codex-provider.js";
import type { AgentProvider, TerminalOutput, TurnRequest } from "../../src/providers/provider.js";
import {
  type FakeAnthropicServer,
  startFakeAnthropic,
  unauthorized,
} from "../fakes/anthropic/index.js";
import { type FakeOpenAiServer, startFakeOpenAi } from "../fakes/openai/fake-openai-server.js";
import { httpError } from "../fakes/openai/response-step.js";
import { makeClaudeEnv, pinnedClaudeBinary } from "../support/claude-env.js";
import { pinnedCodexBinary } from "../support/codex-binary.js";
import { freePort } from "../support/engine-process.js";
import { recordTurn } from "../support/turn-recorder.js";

/** Well inside the 10-minute watchdog: a person learns what is wrong in seconds. */
const BOUND_MS = 60_000;

function request(cwd: string): TurnRequest {
  return {
    chatId: "auth",
    turnId: randomUUID(),
    text: "hello",
    cwd,
    resumeSessionId: null,
    attachments: [],
    settings: {},
  };
}

async function endOf(provider: AgentProvider, cwd: string): Promise<TerminalOutput | "watchdog"> {
  const turn = recordTurn(provider, request(cwd));
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<"watchdog">((resolve) => {
    timer = setTimeout(() => resolve("watchdog"), BOUND_MS);
  });
  try {
    return await Promise.race([turn.ended, bound]);
  } finally {
    clearTimeout(timer);
    await provider.shutdown();
  }
}

/**
 * A new user's first turn without credentials, or with the model API out of reach, on the real
 * pinned CLIs in a fresh HOME: an error that says what to configure, within seconds.
 */
describe("credentials and reachability, real CLIs in a fresh HOME", () => {
  let root: string;
  let anthropic: FakeAnthropicServer;
  let openai: FakeOpenAiServer;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "agent-auth-"));
    anthropic = await startFakeAnthropic();
    openai = await startFakeOpenAi();
  });
  afterAll(async () => {
    await anthropic.close();
    await openai.close();
    await rm(root, { recursive: true, force: true });
  });

  async function claude(env: Record<string, string | undefined>) {
    const base = await makeClaudeEnv(anthropic.url);
    const cwd = await base.makeWorkdir("w");
    const provider = new ClaudeProvider({
      binary: pinnedClaudeBinary(),
      env: { ...base.env, ...env },
      logger: silentLogger,
    });
    try {
      return await endOf(provider, cwd);
    } finally {
      await base.cleanup();
    }
  }

  test("claude without any credentials: provider_auth_failed naming the key, the login file and Bedrock", async () => {
    const end = await claude({ ANTHROPIC_API_KEY: undefined });
    expect(end).toMatchObject({ kind: "failed", error: { code: "provider_auth_failed" } });
    const message = end !== "watchdog" && end.kind === "failed" ? end.error.message : "";
    expect(message).toContain("Not logged in");
    for (const hint of ["ANTHROPIC_API_KEY", "~/.claude/.credentials.json", "Bedrock"]) {
      expect(message).toContain(hint);
    }
  });

  test("claude with a key the API refuses (401): provider_auth_failed with the same advice", async () => {
    anthropic.setScript(() => unauthorized());
    try {
      const end = await claude({});
      expect(end).toMatchObject({
        kind: "failed",
        error: {
          code: "provider_auth_failed",
          message: expect.stringContaining("ANTHROPIC_API_KEY"),
        },
      });
    } finally {
      anthropic.setScript(undefined);
    }
  });

  test("claude with the API out of reach: provider_unreachable", async () => {
    const end = await claude({ ANTHROPIC_BASE_URL: `http://127.0.0.1:${await freePort()}` });
    expect(end).toMatchObject({
      kind: "failed",
      error: {
        code: "provider_unreachable",
        message: expect.stringContaining("ANTHROPIC_BASE_URL"),
      },
    });
  });

  /** A fresh Codex home with the CLI's default retries, pointed at `baseUrl`. */
  async function codex(baseUrl: string, env: Record<string, string> = {}) {
    const home = join(root, `codex-${randomUUID()}`);
    const codexHome = join(home, ".codex");
    await mkdir(codexHome, { recursive: true });
    await writeFile(
      join(codexHome, "config.toml"),
      [
        'model = "gpt-5.5"',
        'model_provider = "local"',
        "check_for_update_on_startup = false",
        "[model_providers.local]",
        'name = "Local"',
        `base_url = "${baseUrl}"`,
        'wire_api = "responses"',
        'env_key = "OPENAI_API_KEY"',
        "[analytics]",
        "enabled = false",
        "",
      ].join("\n"),
    );
    const provider = new CodexProvider({
      binary: pinnedCodexBinary(),
      env: { PATH: process.env.PATH, HOME: home, CODEX_HOME: codexHome, ...env },
      logger: silentLogger,
    });
    return endOf(provider, home);
  }

  test("codex with a key the API refuses (401), default retries: provider_auth_failed naming OPENAI_API_KEY and ~/.codex/auth.json", async () => {
    openai.setHandler(() => httpError(401, "Incorrect API key provided"));
    const end = await codex(openai.baseUrl, { OPENAI_API_KEY: "sk-wrong-key-for-the-test" });
    expect(end).toMatchObject({ kind: "failed", error: { code: "provider_auth_failed" } });
    const message = end !== "watchdog" && end.kind === "failed" ? end.error.message : "";
    expect(message).toContain("OPENAI_API_KEY");
    expect(message).toContain("~/.codex/auth.json");
  });

  test("codex without any key: provider_auth_failed naming OPENAI_API_KEY and ~/.codex/auth.json", async () => {
    // Codex refuses to send the request at all ("Missing environment variable").
    const end = await codex(openai.baseUrl);
    expect(end).toMatchObject({ kind: "failed", error: { code: "provider_auth_failed" } });
    const message = end !== "watchdog" && end.kind === "failed" ? end.error.message : "";
    expect(message).toContain("OPENAI_API_KEY");
    expect(message).toContain("~/.codex/auth.json");
  });

  test("codex with the API out of reach, default retries: provider_unreachable, not the watchdog", async () => {
    const end = await codex(`http://127.0.0.1:${await freePort()}/v1`, {
      OPENAI_API_KEY: "sk-any-key-for-the-test",
    });
    expect(end).toMatchObject({ kind: "failed", error: { code: "provider_unreachable" } });
  });
});
