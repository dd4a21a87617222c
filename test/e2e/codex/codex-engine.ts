import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { ChatDoc } from "../../../projections/chats.js";
import { EngineClient } from "../../../src/client/engine-client.js";
import type { ChatSettings, ProviderName } from "../../../src/events/chat-settings.js";
import { type FakeOpenAiServer, startFakeOpenAi } from "../../fakes/openai/index.js";
import { cliPath } from "../../support/cli.js";
import { pinnedCodexBinary } from "../../support/codex-binary.js";
import { type CodexTestEnv, createCodexEnv, fakeApiKeyVar } from "../../support/codex-env.js";
import { TEST_SECRET } from "../../support/engine-harness.js";
import { type EngineProcess, freePort, spawnEngine } from "../../support/engine-process.js";
import { type Arrived, type EventFeed, openEventFeed } from "../../support/event-feed.js";
import { childPids } from "../../support/processes.js";

const turnEndTypes = ["chat.turn.completed", "chat.turn.failed", "chat.turn.interrupted"] as const;
/** The SSE event that ended a turn. */
export type TurnEnd = Arrived<(typeof turnEndTypes)[number]>;

export interface CodexEngineOptions {
  /** The model API the Codex config points at (default: the fake's). */
  baseUrl?: string;
  /** The engine's HOME (default: the Codex env's private HOME). */
  home?: string;
  /** More engine environment: timings, another agent's settings. */
  env?: Record<string, string>;
}

export interface CodexEngine {
  fake: FakeOpenAiServer;
  codex: CodexTestEnv;
  /** The running `replicas-engine serve` child (replaced by `restart`). */
  engine: EngineProcess;
  client: EngineClient;
  /** The SSE stream, open since the engine first started. */
  feed: EventFeed;
  /** Creates a chat working in a fresh directory of its own. */
  createChat(chatId: string, provider?: ProviderName, settings?: ChatSettings): Promise<ChatDoc>;
  /** Posts a message; `ended` resolves with the SSE event that ends its turn. */
  send(chatId: string, text: string): Promise<{ messageId: string; ended: Promise<TurnEnd> }>;
  /** The id of the turn that runs a message, once it started. */
  turnIdOf(messageId: string): Promise<string>;
  /** Sends and waits for the end of the turn. */
  turn(chatId: string, text: string): Promise<TurnEnd>;
  /** Stops the engine with `signal`, then starts it again on the same HOME and port. */
  restart(
    signal: "SIGTERM" | "SIGKILL",
  ): Promise<{ exitCode?: number; signal?: string; output: string }>;
  /** Pids of the engine's `codex app-server` children. */
  appServerPids(): Promise<number[]>;
  close(): Promise<void>;
}

/**
 * The real `replicas-engine serve` as a child process, its Codex chats on the pinned CLI in a
 * private CODEX_HOME against the fake Responses API, driven over HTTP and watched over SSE.
 */
export async function startCodexEngine(options: CodexEngineOptions = {}): Promise<CodexEngine> {
  const fake = await startFakeOpenAi();
  const codex = await createCodexEnv(options.baseUrl ?? fake.baseUrl);
  const home = options.home ?? codex.home;
  const port = await freePort();
  const spawnOptions = {
    args: [cliPath, "serve"],
    env: {
      REPLICAS_CODEX_BIN: pinnedCodexBinary(),
      CODEX_HOME: codex.codexHome,
      [fakeApiKeyVar]: codex.env[fakeApiKeyVar] ?? "",
      ...options.env,
    },
  };
  let engine = await spawnEngine(home, port, spawnOptions);
  const client = new EngineClient({ baseUrl: engine.url, secret: TEST_SECRET });
  const feed = openEventFeed(client);
  let workdirs = 0;
  const workdir = async (name: string) => {
    const dir = join(codex.workspace, `${++workdirs}-${name}`);
    await mkdir(dir, { recursive: true });
    return dir;
  };

  const send = async (chatId: string, text: string) => {
    const messageId = `m-${randomUUID()}`;
    // Listening before the POST: the turn may end before the answer arrives.
    const ended = feed.waitFor(turnEndTypes, (e) => e.data.messageId === messageId, 60_000);
    ended.catch(() => {}); // awaited by the caller; not unhandled if the POST throws
    await client.sendMessage(chatId, { text, messageId });
    return { messageId, ended };
  };

  return {
    fake,
    codex,
    get engine() {
      return engine;
    },
    client,
    feed,
    createChat: async (chatId, provider = "codex", settings = {}) =>
      (await client.createChat({ chatId, provider, cwd: await workdir(chatId), settings })).chat,
    send,
    turnIdOf: async (messageId) =>
      (await feed.waitFor("chat.turn.started", (ev) => ev.data.messageId === messageId)).data
        .turnId,
    turn: async (chatId, text) => (await send(chatId, text)).ended,
    restart: async (signal) => {
      const stopped = engine;
      stopped.child.kill(signal);
      const exit = await stopped.child;
      engine = await spawnEngine(home, port, spawnOptions);
      return { exitCode: exit.exitCode, signal: exit.signal, output: stopped.output() };
    },
    appServerPids: () => childPids(Number(engine.child.pid), /\bapp-server\b/),
    close: async () => {
      await feed.stop();
      engine.child.kill("SIGTERM");
      await engine.child;
      await fake.close();
      await codex.cleanup();
    },
  };
}
