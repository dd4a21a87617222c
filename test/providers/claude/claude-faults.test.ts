import { randomUUID } from "node:crypto";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { silentLogger } from "../../../src/logger.js";
import { packageRoot } from "../../../src/package-root.js";
import { ClaudeProvider } from "../../../src/providers/claude/claude-provider.js";
import type { TurnRequest } from "../../../src/providers/provider.js";
import { recordTurn, terminalCount } from "../../support/turn-recorder.js";

const SECRET = "sk-ant-api03-never-show-this-value";

/**
 * Faults the real CLI does not produce on demand: fake `claude` executables that replay a
 * recorded transcript with garbage mixed in, or crash with a secret on stderr.
 */
describe("claude adapter: faults from fake CLIs", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "claude-faults-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function fakeCli(name: string, body: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, `#!/bin/sh\n${body}\n`);
    await chmod(path, 0o755);
    return path;
  }

  function request(): TurnRequest {
    return {
      chatId: "c",
      turnId: randomUUID(),
      text: "hi",
      cwd: dir,
      resumeSessionId: null,
      attachments: [],
      settings: {},
    };
  }

  test("malformed stdout lines are counted and logged, never fatal", async () => {
    const transcript = join(packageRoot, "test", "fixtures", "claude", "tooluse.jsonl");
    const binary = await fakeCli(
      "garbage-claude",
      `read -r _turn\necho 'this is not json {'\necho '[1,2,3]'\ncat '${transcript}'\ncat > /dev/null`,
    );
    const warnings: Array<Record<string, unknown>> = [];
    const provider = new ClaudeProvider({
      binary,
      env: { PATH: process.env.PATH },
      logger: { debug: () => {}, warn: (fields) => warnings.push(fields) },
    });
    try {
      const turn = recordTurn(provider, request());
      expect((await turn.ended).kind).toBe("completed");
      expect(turn.outputs.filter((o) => o.kind === "item").length).toBe(4);
      expect(warnings.map((w) => w.malformedLines)).toEqual([1, 2]);
    } finally {
      await provider.shutdown();
    }
  });

  test("a crash (exit 3) fails the turn once, with a redacted stderr tail", async () => {
    const binary = await fakeCli(
      "crashing-claude",
      `read -r _turn\necho '{"type":"system","subtype":"init","session_id":"s-crash"}'\necho "fatal: request with key $ANTHROPIC_API_KEY failed" >&2\nexit 3`,
    );
    const provider = new ClaudeProvider({
      binary,
      env: { PATH: process.env.PATH, ANTHROPIC_API_KEY: SECRET },
      logger: silentLogger,
    });
    try {
      const turn = recordTurn(provider, request());
      const end = await turn.ended;
      expect(end).toMatchObject({
        kind: "failed",
        error: { code: "provider_process_exited", details: { exitCode: 3 } },
      });
      const details = end.kind === "failed" ? end.error.details : undefined;
      expect(String(details?.stderrTail)).toContain("fatal: request with key [redacted] failed");
      expect(JSON.stringify(turn.outputs)).not.toContain(SECRET);
      expect(terminalCount(turn.outputs)).toBe(1);
    } finally {
      await provider.shutdown();
    }
  });

  test("a missing working directory fails the turn with cwd_not_found; a second turn at once is refused", async () => {
    const binary = await fakeCli("idle-claude", "cat > /dev/null");
    const provider = new ClaudeProvider({
      binary,
      env: { PATH: process.env.PATH },
      logger: silentLogger,
    });
    try {
      const gone = recordTurn(provider, { ...request(), cwd: join(dir, "does-not-exist") });
      expect(await gone.ended).toMatchObject({ kind: "failed", error: { code: "cwd_not_found" } });

      const running = recordTurn(provider, request());
      const second = recordTurn(provider, request());
      expect(await second.ended).toMatchObject({
        kind: "failed",
        error: { code: "turn_in_progress" },
      });
      running.handle.kill();
      expect((await running.ended).kind).toBe("interrupted");
    } finally {
      await provider.shutdown();
    }
  });

  test("the engine's own secret is withheld from the CLI's environment", async () => {
    const binary = await fakeCli(
      "env-claude",
      `read -r _turn\necho "secret=[$REPLICAS_ENGINE_SECRET] retries=[$CLAUDE_CODE_MAX_RETRIES]" >&2\nexit 1`,
    );
    const provider = new ClaudeProvider({
      binary,
      env: { PATH: process.env.PATH, REPLICAS_ENGINE_SECRET: "engine-secret-0123456789" },
      logger: silentLogger,
    });
    try {
      const end = await recordTurn(provider, request()).ended;
      const tail = end.kind === "failed" ? String(end.error.details?.stderrTail) : "";
      expect(tail).toContain("secret=[] retries=[2]");
    } finally {
      await provider.shutdown();
    }
  });
});
