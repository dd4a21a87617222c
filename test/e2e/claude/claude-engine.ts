import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { execa } from "execa";
import { EngineClient } from "../../../src/client/engine-client.js";
import type { CanonicalItem } from "../../../src/events/canonical-item.js";
import type { ChatSettings } from "../../../src/events/chat-settings.js";
import { type FakeAnthropicServer, startFakeAnthropic } from "../../fakes/anthropic/index.js";
import { type ClaudeTestEnv, makeClaudeEnv, pinnedClaudeBinary } from "../../support/claude-env.js";
import { cliPath } from "../../support/cli.js";
import { TEST_SECRET } from "../../support/engine-harness.js";
import { freePort, spawnEngine } from "../../support/engine-process.js";
import { type Arrived, type EventFeed, openEventFeed } from "../../support/event-feed.js";
import { childPids } from "../../support/processes.js";

const TURN_ENDS = ["chat.turn.completed", "chat.turn.failed", "chat.turn.interrupted"] as const;
/** The SSE event that ended a turn. */
export type TurnEnd = Arrived<(typeof TURN_ENDS)[number]>;

export interface SentMessage {
  messageId: string;
  /** performance.now() just before the POST /messages. */
  postedAt: number;
}

/**
 * The real `replicas-engine serve` as a child process, running the pinned `claude` against a
 * fake Messages API, watched through its SSE stream with the typed client. The engine's HOME
 * is the CLI's private HOME, so `~/.claude/plans` is the same folder for both.
 */
export interface ClaudeEngine {
  fake: FakeAnthropicServer;
  claude: ClaudeTestEnv;
  client: EngineClient;
  /** The SSE stream, open since the engine first started, across restarts. */
  feed: EventFeed;
  /** A fresh git repository to run a chat in. */
  repo(name: string): Promise<string>;
  /** Creates a Claude chat working in a fresh repository; returns its id. */
  chat(name: string, settings?: ChatSettings): Promise<string>;
  send(chatId: string, text: string): Promise<SentMessage>;
  /** The event that ended the turn of this message (completed, failed or interrupted). */
  turnEnd(messageId: string, timeoutMs?: number): Promise<TurnEnd>;
  /** Sends a message and waits for its turn to end. */
  turn(chatId: string, text: string): Promise<TurnEnd>;
  /** The chat's history items, as GET /chats/:chatId/history serves them. */
  items(chatId: string): Promise<CanonicalItem[]>;
  /** Pids of the engine's running `claude` children (one per chat with a live process). */
  claudePids(): Promise<number[]>;
  /** The engine process's pid (a restart changes it). */
  pid(): number;
  /** Stops the engine with the signal and starts it again on the same HOME and port. */
  restart(signal: "SIGTERM" | "SIGKILL"): Promise<void>;
  close(): Promise<void>;
}

/** Real CLI turns on two shared cores: slow, but never this slow. */
const TURN_TIMEOUT_MS = 90_000;

export async function startClaudeEngine(
  options: { env?: Record<string, string> } = {},
): Promise<ClaudeEngine> {
  const fake = await startFakeAnthropic();
  const claude = await makeClaudeEnv(fake.url);
  const port = await freePort();
  const spawnOptions = {
    args: [cliPath, "serve"],
    env: {
      ...claude.env,
      REPLICAS_CLAUDE_BIN: pinnedClaudeBinary(),
      // Off unless a test asks (spare.test.ts, the peer bench): every chat here works in a fresh
      // repository, where a spare started after each first turn would only be thrown away.
      REPLICAS_CLAUDE_SPARE: "0",
      ...options.env,
    },
  };
  let engine = await spawnEngine(claude.home, port, spawnOptions);
  const client = new EngineClient({ baseUrl: engine.url, secret: TEST_SECRET });
  const feed = openEventFeed(client);

  const repo = async (name: string) => {
    const dir = await claude.makeWorkdir(name);
    await execa("git", ["init", "-q", dir], { timeout: 10_000 });
    return dir;
  };

  const send = async (chatId: string, text: string) => {
    const messageId = randomUUID();
    const postedAt = performance.now();
    await client.sendMessage(chatId, { text, messageId });
    return { messageId, postedAt };
  };

  const turnEnd = (messageId: string, timeoutMs = TURN_TIMEOUT_MS) =>
    feed.waitFor(TURN_ENDS, (event) => event.data.messageId === messageId, timeoutMs);

  return {
    fake,
    claude,
    client,
    feed,
    repo,
    chat: async (name, settings = {}) => {
      const cwd = await repo(name);
      const { chat } = await client.createChat({ chatId: name, provider: "claude", cwd, settings });
      return chat.chatId;
    },
    send,
    turnEnd,
    turn: async (chatId, text) => turnEnd((await send(chatId, text)).messageId),
    items: async (chatId) => (await client.history(chatId)).items.map((entry) => entry.item),
    claudePids: () => childPids(Number(engine.child.pid), /--input-format stream-json/),
    pid: () => Number(engine.child.pid),
    restart: async (signal) => {
      engine.child.kill(signal);
      await engine.child;
      engine = await spawnEngine(claude.home, port, spawnOptions);
    },
    close: async () => {
      await feed.stop();
      engine.child.kill("SIGTERM");
      await engine.child;
      await fake.close();
      await claude.cleanup();
    },
  };
}
