import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EngineClient } from "../../src/client/engine-client.js";
import { packageRoot } from "../../src/package-root.js";
import { cliPath } from "../support/cli.js";
import { TEST_SECRET } from "../support/engine-harness.js";
import { type EngineProcess, freePort, spawnEngine } from "../support/engine-process.js";
import { openEventFeed } from "../support/event-feed.js";
import { waitUntil } from "../support/wait-until.js";

/** The system's directories only: no node_modules/.bin, as when not started by `npm start`. */
const SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin";

/**
 * Started other than by `npm start` (PATH without node_modules/.bin): the engine still finds
 * the pinned CLIs in its own node_modules/.bin, says which agents it found, and how to fix one
 * it did not, once it probes them (the first /status, or the first turn).
 */
describe("which agents the engine finds, said when they are first probed", () => {
  let home: string;
  let engine: EngineProcess;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "agents-found-"));
    engine = await spawnEngine(home, await freePort(), {
      args: [cliPath, "serve"],
      env: {
        PATH: SYSTEM_PATH,
        LOG_LEVEL: "info",
        REPLICAS_CLAUDE_BIN: undefined,
        REPLICAS_CODEX_BIN: join(home, "no-such-codex"),
      },
    });
  });
  afterAll(async () => {
    engine.child.kill("SIGTERM");
    await engine.child;
    await rm(home, { recursive: true, force: true });
  });

  test("claude is found in the package's node_modules/.bin; the missing codex is named with its fix", async () => {
    const bin = join(packageRoot, "node_modules", ".bin");
    const client = new EngineClient({ baseUrl: engine.url, secret: TEST_SECRET });
    // The first /status waits for the probes.
    expect((await client.status()).providers).toMatchObject({
      claude: {
        found: true,
        path: join(bin, "claude"),
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      },
      codex: { found: false },
    });
    const lines = await waitUntil(
      () => {
        const logged = engine
          .output()
          .split("\n")
          .filter((line) => line.startsWith("{"))
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        const claude = logged.find((l) => l.agent === "claude");
        const codex = logged.find((l) => l.agent === "codex");
        return claude && codex ? { claude, codex } : null;
      },
      "the report of both agents",
      60_000,
    );

    expect(lines.claude).toMatchObject({ msg: "agent found", path: join(bin, "claude") });
    expect(lines.claude.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(lines.codex.level).toBe(40);
    expect(String(lines.codex.msg)).toContain("provider_not_found");
    expect(String(lines.codex.msg)).toContain("REPLICAS_CODEX_BIN");
  });

  test("a turn of the missing agent fails with provider_not_found, saying how to fix it", async () => {
    const client = new EngineClient({ baseUrl: engine.url, secret: TEST_SECRET });
    const feed = openEventFeed(client);
    try {
      await client.createChat({
        chatId: "no-codex",
        provider: "codex",
        cwd: join(home, "workspaces"),
      });
      await client.sendMessage("no-codex", { text: "hello", messageId: "m-no-codex" });
      const failed = await feed.waitFor(
        "chat.turn.failed",
        (e) => e.data.messageId === "m-no-codex",
      );
      expect(failed.data.error.code).toBe("provider_not_found");
      expect(failed.data.error.message).toContain("REPLICAS_CODEX_BIN");
    } finally {
      await feed.stop();
    }
  });
});
