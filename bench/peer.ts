import { execa, type ResultPromise } from "execa";
import { claudeArgs } from "../src/providers/claude/launch-settings.js";
import { readLines } from "../src/providers/toolkit/line-reader.js";
import { type ClaudeEngine, startClaudeEngine } from "../test/e2e/claude/claude-engine.js";
import { makeClaudeEnv, pinnedClaudeBinary } from "../test/support/claude-env.js";
import { freePort } from "../test/support/engine-process.js";
import type { BenchRow } from "./bench-row.js";
import { benchTempDir } from "./bench-temp.js";
import { engineStarter } from "./boot.js";
import { type Boot, medianBoots, type Starter, untilHealthy } from "./daemon-boot.js";
import {
  daemonCpuMs,
  processTree,
  stopProcessTree,
  treePssMb,
  untilQuiet,
  untilSettled,
  untilTreeSize,
} from "./process-tree.js";
import { AcpServer, installSandboxAgent, spawnSandboxAgent } from "./sandbox-agent.js";
import { interleavedMedians, median } from "./stats.js";

const BOOTS = 5;
const TURN_ROUNDS = 11;
const LIVE_ROUNDS = 3;
const LIVE_SESSIONS = 5;
const PROMPT = "say hello";

/** What one daemon does in a round: both sides run the pinned `claude` against one fake model. */
interface Side {
  /** Spawns a fresh daemon of this kind (for cold start and idle RSS). */
  starter: Starter;
  /**
   * A new session (chat) and its first turn, ms from creating it to the turn's end. Every
   * session of a side works in one git repo, as a workspace's chats do (the engine's default
   * cwd is the workspaces root).
   */
  firstTurn(): Promise<number>;
  /** A second turn in the session the last firstTurn opened; then closes that session. */
  warmTurn(): Promise<WarmTurn>;
  /** PSS of daemon + children with `count` sessions that each ran a turn; closed after. */
  livePssMb(count: number): Promise<number>;
  /** The daemon of the turn rounds, whose tree holds its agents. */
  pid(): number;
  stop(): Promise<void>;
}

/** A warm turn's time, and the CPU the daemon itself (its processes but `claude`) spent in it. */
interface WarmTurn {
  ms: number;
  daemonCpuMs: number;
}

let sequence = 0;

/**
 * The engine against its closest peer, sandbox-agent 0.4.2 (an in-VM daemon running the same
 * agents through ACP adapters), in the same run: both run the pinned `claude` against the same
 * fake Messages API, in interleaved rounds, medians; ratio = ours / theirs. Where the peer
 * cannot be installed or started, the engine's rows stand alone and a row says why.
 */
export async function benchPeer(): Promise<BenchRow[]> {
  // The engine as configured by default: a spare `claude` is kept for the next new chat.
  const e = await startClaudeEngine({ env: { REPLICAS_CLAUDE_SPARE: "1" } });
  // The same engine without it, for its cold path: the first turn waits for the CLI's start.
  const cold = await startClaudeEngine({ env: { REPLICAS_CLAUDE_SPARE: "0" } });
  const coldSide = await engineSide(cold);
  const direct = directCli(e, await e.repo("peer-workspace-direct"));
  const sides: { engine: Side; sandbox_agent?: Side } = { engine: await engineSide(e) };
  let why: string | undefined;
  try {
    sides.sandbox_agent = await sandboxAgentSide(await installSandboxAgent(), e);
  } catch (error) {
    why = error instanceof Error ? error.message : String(error);
    process.stderr.write(`bench peer: sandbox-agent not measured: ${why}\n`);
  }
  const measured = Object.entries(sides) as [keyof typeof sides, Side][];
  const each = <T>(measure: (side: Side, name: keyof typeof sides) => () => Promise<T>) =>
    Object.fromEntries(measured.map(([name, side]) => [name, measure(side, name)])) as Record<
      keyof typeof sides,
      () => Promise<T>
    >;
  let turns: Record<string, number>;
  const daemonCpu = Object.fromEntries(measured.map(([name]) => [name, [] as number[]]));
  let live: Record<string, number>;
  try {
    for (const side of [...measured.map(([, side]) => side), coldSide, direct]) {
      await side.firstTurn(); // warm-up: file cache, the CLI's first-run setup
      await side.warmTurn();
    }
    // Each turn starts once the daemons and their agents have settled and are idle: what one
    // side's CLI still does after its turn (its startup tasks, an exit), or the engine's spare
    // starting after a first turn, would otherwise land in the next measure.
    const pids = () => [cold.pid(), ...direct.pids(), ...measured.map(([, side]) => side.pid())];
    const quietly = (turn: () => Promise<number>) => async () => {
      await untilSettled(pids());
      await untilQuiet(pids());
      return turn();
    };
    turns = await interleavedMedians(TURN_ROUNDS, {
      ...prefixed(
        "first",
        each((side) => quietly(() => side.firstTurn())),
      ),
      "first.engine_no_spare": quietly(async () => {
        const ms = await coldSide.firstTurn();
        await coldSide.warmTurn(); // not measured: closes the chat, as the warm rounds do
        return ms;
      }),
      "first.direct_cli": quietly(() => direct.firstTurn()),
      ...prefixed(
        "warm",
        each((side, name) =>
          quietly(async () => {
            const turn = await side.warmTurn();
            daemonCpu[name]?.push(turn.daemonCpuMs);
            return turn.ms;
          }),
        ),
      ),
      "warm.direct_cli": quietly(() => direct.warmTurn()),
    });
    live = await interleavedMedians(
      LIVE_ROUNDS,
      each((side) => () => side.livePssMb(LIVE_SESSIONS)),
    );
  } finally {
    for (const [, side] of [...measured, ["cold", coldSide] as const]) await side.stop();
    await direct.stop();
  }
  // Last, with no other daemon running.
  const boots: Record<string, Boot> = await medianBoots(
    BOOTS,
    Object.fromEntries(measured.map(([name, side]) => [name, side.starter])),
  );
  const pair = (
    name: string,
    unit: string,
    value: (side: string) => number | undefined,
    extra: Pick<BenchRow, "goal" | "note">,
  ): BenchRow[] => {
    const ours = value("engine") ?? Number.NaN;
    const theirs = value("sandbox_agent");
    return [
      ...(theirs === undefined
        ? []
        : [{ name: `peer.${name}.sandbox_agent`, value: theirs, unit }]),
      {
        name: `peer.${name}.engine`,
        value: ours,
        unit,
        ...(theirs === undefined ? {} : { ratio: ours / theirs }),
        ...extra,
      },
    ];
  };
  return [
    ...(why
      ? [{ name: "peer.sandbox_agent", value: Number.NaN, unit: "", note: `not measured: ${why}` }]
      : []),
    ...pair("cold_start", "ms", (s) => boots[s]?.ms, {
      note: `spawn to first /health answer, median of ${BOOTS}; ratio ours / theirs`,
    }),
    ...pair("idle_rss", "MB", (s) => boots[s]?.rssMb, { note: "daemon VmRSS 1 s after /health" }),
    ...pair("first_turn", "ms", (s) => turns[`first.${s}`], {
      goal: "<= 0.9",
      note: `new session + first Claude turn in the workspace's repo, median of ${TURN_ROUNDS}; ours ran on the spare claude started after the previous new chat`,
    }),
    directRow(
      turns,
      "first",
      "spawn to its result line: the floor of the cold path (engine_no_spare)",
    ),
    {
      name: "peer.first_turn.engine_no_spare",
      value: turns["first.engine_no_spare"] ?? Number.NaN,
      unit: "ms",
      ...(turns["first.sandbox_agent"] === undefined
        ? {}
        : { ratio: (turns["first.engine_no_spare"] ?? Number.NaN) / turns["first.sandbox_agent"] }),
      note: "the same with REPLICAS_CLAUDE_SPARE=0 (the cold path: the CLI starts in the turn); ratio to sandbox-agent's",
    },
    ...pair("warm_turn", "ms", (s) => turns[`warm.${s}`], {
      goal: "<= 0.9",
      note: "second turn of the same session",
    }),
    ...pair(
      "warm_turn.daemon_cpu",
      "ms",
      (s) => {
        const samples = daemonCpu[s];
        return samples?.length ? median(samples) : undefined;
      },
      {
        note: "CPU the daemon's own processes (all but `claude`) spent in the warm turn, from schedstat: on two cores it is taken from the CLI's turn",
      },
    ),
    directRow(
      turns,
      "warm",
      "the stdin write to its result line: the floor of any daemon's warm turn",
    ),
    ...pair(`live_${LIVE_SESSIONS}_sessions.pss`, "MB", (s) => live[s], {
      note: `daemon + children PSS once settled, ${LIVE_SESSIONS} sessions after a turn each (ours: and the spare claude), median of ${LIVE_ROUNDS}`,
    }),
  ];
}

/** A `direct_cli` row, with its ratio to sandbox-agent's turn of the same kind. */
function directRow(turns: Record<string, number>, kind: string, what: string): BenchRow {
  const value = turns[`${kind}.direct_cli`] ?? Number.NaN;
  const theirs = turns[`${kind}.sandbox_agent`];
  return {
    name: `peer.${kind}_turn.direct_cli`,
    value,
    unit: "ms",
    ...(theirs === undefined ? {} : { ratio: value / theirs }),
    note: `no daemon: the same claude with the engine's argv, driven over stdin by the bench; ${what}; ratio to sandbox-agent's`,
  };
}

function prefixed<T>(prefix: string, record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [`${prefix}.${k}`, v]));
}

/**
 * The pinned `claude` with the engine's own argv (`claudeArgs`) and Claude environment, driven
 * over stdin by the bench with no daemon in between: what a turn costs the CLI alone, the floor
 * of either daemon's. A session is one process: its first turn is timed from the spawn, its
 * second from the stdin write, each to the CLI's `result` line; then stdin closes.
 */
function directCli(e: ClaudeEngine, cwd: string) {
  let open: { child: ResultPromise; send(): Promise<number> } | undefined;
  const start = () => {
    const settings = {
      model: undefined,
      permissionMode: "bypassPermissions",
      resumeSessionId: null,
    } as const;
    const child = execa(pinnedClaudeBinary(), claudeArgs(settings), {
      cwd,
      env: e.claude.env,
      extendEnv: false,
      reject: false,
      buffer: false,
      stderr: "ignore",
    });
    let ended: ((at: number) => void) | undefined;
    let failed: ((error: Error) => void) | undefined;
    void readLines(child.stdout, {
      onLine: (line) => {
        if (!line.trim()) return;
        const parsed = JSON.parse(line) as { type?: string; subtype?: string };
        if (parsed.type !== "result") return;
        if (parsed.subtype === "success") ended?.(performance.now());
        else failed?.(new Error(`the CLI's turn ended ${parsed.subtype}`));
      },
      onTooLong: (bytes) => failed?.(new Error(`the CLI wrote a line of ${bytes} bytes`)),
    });
    void child.then(({ exitCode }) => failed?.(new Error(`the CLI exited ${exitCode} in a turn`)));
    const send = () => {
      const result = new Promise<number>((resolve, reject) => {
        ended = resolve;
        failed = reject;
      });
      const message = { role: "user", content: [{ type: "text", text: PROMPT }] };
      child.stdin.write(
        `${JSON.stringify({ type: "user", session_id: "", message, parent_tool_use_id: null })}\n`,
      );
      return result;
    };
    return { child, send };
  };
  return {
    async firstTurn() {
      const started = performance.now();
      open = start();
      return (await open.send()) - started;
    },
    async warmTurn() {
      const session = open;
      if (!session) throw new Error("no direct session is open");
      const started = performance.now();
      const ms = (await session.send()) - started;
      open = undefined;
      session.child.stdin?.end();
      await session.child;
      return ms;
    },
    pids: () => (open?.child.pid ? [open.child.pid] : []),
    /** Ends a session a failed round left open. */
    async stop() {
      open?.child.stdin?.end();
      await open?.child;
      open = undefined;
    },
  };
}

/** The real `replicas-engine serve`: a chat per session, timed to `chat.turn.completed` on SSE. */
async function engineSide(e: ClaudeEngine): Promise<Side> {
  const cwd = await e.repo("peer-workspace");
  let open: string | undefined;
  const turn = async (chatId: string) => {
    const sent = await e.send(chatId, PROMPT);
    const end = await e.turnEnd(sent.messageId);
    if (end.type !== "chat.turn.completed")
      throw new Error(`the engine's turn ended with ${end.type}`);
    return end.arrivedAt;
  };
  const session = async () => {
    const chatId = `peer-${sequence++}`;
    const started = performance.now();
    await e.client.createChat({ chatId, provider: "claude", cwd });
    return { chatId, ms: (await turn(chatId)) - started };
  };
  return {
    starter: engineStarter(benchTempDir("peer-boot")),
    async firstTurn() {
      const { chatId, ms } = await session();
      open = chatId;
      return ms;
    },
    async warmTurn() {
      const chatId = open ?? "";
      const cpu = daemonCpuMs(e.pid());
      const started = performance.now();
      const ms = (await turn(chatId)) - started;
      const daemon = daemonCpuMs(e.pid()) - cpu;
      await e.client.deleteChat(chatId); // stops its CLI, so processes do not pile up
      return { ms, daemonCpuMs: daemon };
    },
    async livePssMb(count) {
      const idle = processTree(e.pid()).length;
      const chats: string[] = [];
      for (let i = 0; i < count; i++) chats.push((await session()).chatId);
      await untilSettled([e.pid()]);
      const pss = treePssMb(e.pid());
      for (const chatId of chats) await e.client.deleteChat(chatId);
      await untilTreeSize(e.pid(), idle);
      return pss;
    },
    pid: () => e.pid(),
    stop: () => e.close(),
  };
}

/**
 * sandbox-agent over its ACP HTTP transport, used as its SDK does: one ACP server (adapter
 * process) for the agent, a session per chat in it. The adapter drops the daemon's environment
 * when it starts `claude`, so each session passes the Claude environment in
 * `_meta.claudeCode.options.env`. Neither the adapter (0.20: no session close) nor the daemon
 * (0.4.2: `DELETE /v1/acp/:id` did not answer in 5 minutes) closes a session, so sessions end
 * with their daemon: the turn rounds share one, each live-sessions round starts its own.
 */
async function sandboxAgentSide(binary: string, e: ClaudeEngine): Promise<Side> {
  const claude = await makeClaudeEnv(e.fake.url);
  const starter: Starter = async (port) => ({
    child: spawnSandboxAgent(binary, port, claude),
    health: `http://127.0.0.1:${port}/v1/health`,
  });
  const daemon = async () => {
    const { child, health } = await starter(await freePort());
    const url = new URL(health).origin;
    try {
      await untilHealthy(health, child);
      const agent = (await (await fetch(`${url}/v1/agents/claude`)).json()) as {
        installed?: boolean;
      };
      if (!agent.installed)
        throw new Error("the daemon finds no Claude adapter and `claude` on PATH");
      const server = new AcpServer(url, "bench");
      await server.request("initialize", { protocolVersion: 1, clientCapabilities: {} });
      const stop = async () => {
        server.close();
        await stopProcessTree(child);
      };
      return { server, pid: child.pid ?? 0, stop };
    } catch (error) {
      await stopProcessTree(child);
      throw error;
    }
  };
  const prompt = async (server: AcpServer, sessionId: string) => {
    const result = await server.request<{ stopReason: string }>("session/prompt", {
      sessionId,
      prompt: [{ type: "text", text: PROMPT }],
    });
    if (result.stopReason !== "end_turn")
      throw new Error(`sandbox-agent's turn stopped: ${result.stopReason}`);
  };
  const cwd = await e.repo("peer-workspace-sandbox-agent");
  const session = async (server: AcpServer) => {
    const started = performance.now();
    const { sessionId } = await server.request<{ sessionId: string }>("session/new", {
      cwd,
      mcpServers: [],
      _meta: { claudeCode: { options: { env: claude.env } } },
    });
    await prompt(server, sessionId);
    return { sessionId, ms: performance.now() - started };
  };
  const turns = await daemon();
  // Its sessions pile up over the turn rounds; stopped before the live rounds, which start their own.
  const stopTurns = once(turns.stop);
  let open = "";
  return {
    starter,
    async firstTurn() {
      const { sessionId, ms } = await session(turns.server);
      open = sessionId;
      return ms;
    },
    async warmTurn() {
      const cpu = daemonCpuMs(turns.pid);
      const started = performance.now();
      await prompt(turns.server, open);
      const ms = performance.now() - started;
      return { ms, daemonCpuMs: daemonCpuMs(turns.pid) - cpu };
    },
    async livePssMb(count) {
      await stopTurns();
      const live = await daemon();
      try {
        for (let i = 0; i < count; i++) await session(live.server);
        await untilSettled([live.pid]);
        return treePssMb(live.pid);
      } finally {
        await live.stop();
      }
    },
    pid: () => turns.pid,
    async stop() {
      // Its client must have received the turns' updates, as the engine's receives its events.
      if (turns.server.notifications === 0)
        process.stderr.write("bench peer: sandbox-agent's SSE stream carried no notification\n");
      await stopTurns();
      await claude.cleanup();
    },
  };
}

function once(run: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= run();
    return done;
  };
}
