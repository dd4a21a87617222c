import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EngineClient } from "../../src/client/engine-client.js";
import type { ProviderName } from "../../src/events/chat-settings.js";
import type { FakeAnthropicServer } from "../fakes/anthropic/index.js";
import { stall as stallClaude, startFakeAnthropic } from "../fakes/anthropic/index.js";
import { type FakeOpenAiServer, startFakeOpenAi } from "../fakes/openai/fake-openai-server.js";
import { stall as stallCodex } from "../fakes/openai/response-step.js";
import { type ClaudeTestEnv, makeClaudeEnv, pinnedClaudeBinary } from "../support/claude-env.js";
import { cliPath } from "../support/cli.js";
import { pinnedCodexBinary } from "../support/codex-binary.js";
import { type CodexTestEnv, createCodexEnv, fakeApiKeyVar } from "../support/codex-env.js";
import { TEST_SECRET } from "../support/engine-harness.js";
import { type EngineProcess, freePort, spawnEngine } from "../support/engine-process.js";
import { openEventFeed } from "../support/event-feed.js";

/**
 * Ctrl-C in a terminal, systemd's default stop and `docker stop` signal the engine's whole
 * process group. The agents run in groups of their own, so the signal reaches only the engine,
 * which ends every open turn as `interrupted` `shutdown` before it stops them.
 */
describe("SIGTERM to the engine's process group during a Claude and a Codex turn", () => {
  let anthropic: FakeAnthropicServer;
  let openai: FakeOpenAiServer;
  let claude: ClaudeTestEnv;
  let codex: CodexTestEnv;
  let engine: EngineProcess;
  let spawnOptions: Parameters<typeof spawnEngine>[2];
  let port: number;

  beforeAll(async () => {
    anthropic = await startFakeAnthropic();
    openai = await startFakeOpenAi();
    claude = await makeClaudeEnv(anthropic.url);
    codex = await createCodexEnv(openai.baseUrl);
    port = await freePort();
    spawnOptions = {
      args: [cliPath, "serve"],
      detached: true,
      env: {
        ...claude.env,
        REPLICAS_CLAUDE_BIN: pinnedClaudeBinary(),
        REPLICAS_CODEX_BIN: pinnedCodexBinary(),
        CODEX_HOME: codex.codexHome,
        [fakeApiKeyVar]: codex.env[fakeApiKeyVar] ?? "",
      },
    };
    engine = await spawnEngine(claude.home, port, spawnOptions);
  });
  afterAll(async () => {
    engine.child.kill("SIGTERM");
    await engine.child;
    await anthropic.close();
    await openai.close();
    await claude.cleanup();
    await codex.cleanup();
  });

  test("both turns end interrupted with reason shutdown, whatever the agents got", async () => {
    const client = new EngineClient({ baseUrl: engine.url, secret: TEST_SECRET });
    const feed = openEventFeed(client);
    anthropic.setScript(() => stallClaude());
    openai.setHandler(() => stallCodex());
    const sent: string[] = [];
    for (const provider of ["claude", "codex"] as ProviderName[]) {
      const cwd = join(claude.home, "workspaces", provider);
      await mkdir(cwd, { recursive: true });
      const { chat } = await client.createChat({ chatId: `group-${provider}`, provider, cwd });
      const messageId = randomUUID();
      await client.sendMessage(chat.chatId, { text: "take your time", messageId });
      sent.push(messageId);
    }
    // Both agents are waiting on their model API: the turns are running.
    await Promise.all([anthropic.waitForRequests(1), openai.waitForRequests(1)]);
    await feed.stop();

    process.kill(-Number(engine.child.pid), "SIGTERM");
    const exit = await engine.child;
    expect(exit.exitCode).toBe(0);

    engine = await spawnEngine(claude.home, port, spawnOptions);
    const after = openEventFeed(new EngineClient({ baseUrl: engine.url, secret: TEST_SECRET }));
    try {
      for (const messageId of sent) {
        const end = await after.waitFor(
          ["chat.turn.completed", "chat.turn.failed", "chat.turn.interrupted"],
          (event) => event.data.messageId === messageId,
        );
        expect(end).toMatchObject({ type: "chat.turn.interrupted", data: { reason: "shutdown" } });
      }
    } finally {
      await after.stop();
    }
  });
});
