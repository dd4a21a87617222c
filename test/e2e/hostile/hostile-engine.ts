import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EngineClient } from "../../../src/client/engine-client.js";
import type { ProviderName } from "../../../src/events/chat-settings.js";
import { fakeAgentBinary } from "../../fakes/agent-cli/index.js";
import { cliPath } from "../../support/cli.js";
import { TEST_SECRET } from "../../support/engine-harness.js";
import { type EngineProcess, freePort, spawnEngine } from "../../support/engine-process.js";
import { type Arrived, type EventFeed, openEventFeed } from "../../support/event-feed.js";
import { waitUntil } from "../../support/wait-until.js";

const turnEndTypes = ["chat.turn.completed", "chat.turn.failed", "chat.turn.interrupted"] as const;
export type TurnEnd = Arrived<(typeof turnEndTypes)[number]>;

/** Secrets the fake agents are given, to prove none reaches the log, SSE or errors. */
export const FAKE_KEYS = {
  ANTHROPIC_API_KEY: "sk-ant-api03-Zq9XvT4mWp7LrB2nK8yH5cJ3dF6gS1aQ",
  OPENAI_API_KEY: "sk-proj-Jw4Ru8Ne2Mb6Tk9Xc3Vh7Ly5Pq1Gd0Fz",
};

export interface HostileEngine {
  engine: EngineProcess;
  client: EngineClient;
  feed: EventFeed;
  home: string;
  /** Creates a chat of `provider` in a fresh directory; returns its id and directory. */
  chat(name: string, provider: ProviderName): Promise<{ chatId: string; cwd: string }>;
  send(chatId: string, text: string): Promise<{ messageId: string; ended: Promise<TurnEnd> }>;
  /** The pids the fake wrote into `cwd` (`agent.pid`, `grandchild.pid`), once both exist. */
  heldPids(cwd: string): Promise<{ agent: number; grandchild: number }>;
  /** Stops the engine with `signal` (SIGKILL: no shutdown at all), starts it again; the exit code. */
  restart(signal: "SIGTERM" | "SIGKILL"): Promise<number | undefined>;
  close(): Promise<void>;
}

/**
 * The real `replicas-engine serve` with both agents replaced by the hostile fake CLI
 * (test/fakes/agent-cli) through REPLICAS_CLAUDE_BIN and REPLICAS_CODEX_BIN.
 */
export async function startHostileEngine(): Promise<HostileEngine> {
  const root = await mkdtemp(join(tmpdir(), "hostile-"));
  const home = join(root, "home");
  const bin = join(root, "bin");
  await mkdir(bin, { recursive: true });
  const spawnOptions = {
    args: [cliPath, "serve"],
    env: {
      REPLICAS_CLAUDE_BIN: await fakeAgentBinary(bin, "claude"),
      REPLICAS_CODEX_BIN: await fakeAgentBinary(bin, "codex"),
      // The escalation of an interrupt (protocol, then SIGINT, then SIGKILL) at its quickest.
      REPLICAS_INTERRUPT_GRACE_MS: "300",
      LOG_LEVEL: "debug",
      ...FAKE_KEYS,
    },
  };
  const port = await freePort();
  let engine = await spawnEngine(home, port, spawnOptions);
  const client = new EngineClient({ baseUrl: engine.url, secret: TEST_SECRET });
  let feed = openEventFeed(client);
  let chats = 0;
  return {
    get engine() {
      return engine;
    },
    client,
    get feed() {
      return feed;
    },
    home,
    chat: async (name, provider) => {
      const cwd = join(root, "work", `${++chats}-${name}`);
      await mkdir(cwd, { recursive: true });
      const { chat } = await client.createChat({ chatId: name, provider, cwd });
      return { chatId: chat.chatId, cwd };
    },
    send: async (chatId, text) => {
      const messageId = `m-${randomUUID()}`;
      const ended = feed.waitFor(turnEndTypes, (e) => e.data.messageId === messageId, 60_000);
      ended.catch(() => {});
      await client.sendMessage(chatId, { text, messageId });
      return { messageId, ended };
    },
    heldPids: (cwd) =>
      waitUntil(
        async () => {
          const read = (name: string) =>
            readFile(join(cwd, name), "utf8").then(Number, () => Number.NaN);
          const [agent, grandchild] = await Promise.all([
            read("agent.pid"),
            read("grandchild.pid"),
          ]);
          return agent > 0 && grandchild > 0 ? { agent, grandchild } : null;
        },
        "the fake agent wrote its pids",
        30_000,
      ),
    restart: async (signal) => {
      await feed.stop();
      engine.child.kill(signal);
      const { exitCode } = await engine.child;
      engine = await spawnEngine(home, port, spawnOptions);
      feed = openEventFeed(client);
      return exitCode;
    },
    close: async () => {
      await feed.stop();
      engine.child.kill("SIGTERM");
      await engine.child;
      await rm(root, { recursive: true, force: true });
    },
  };
}
