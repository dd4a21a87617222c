import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { execa } from "execa";
import { CodexProvider } from "../src/providers/codex/codex-provider.js";
import { type CodexEngine, startCodexEngine } from "../test/e2e/codex/codex-engine.js";
import { pinnedCodexBinary } from "../test/support/codex-binary.js";
import { recordTurn } from "../test/support/turn-recorder.js";
import type { BenchRow } from "./bench-row.js";
import { median } from "./stats.js";

const TURNS = 15;

/**
 * One Codex text turn against the same fake Responses API, several ways, interleaved so load
 * drift hits all alike. The floor is `codex exec --json` (a cold process per turn, spawn to
 * exit). The engine is the real `replicas-engine serve`, timed as a control plane sees it: POST
 * /messages until `chat.turn.completed` arrives over SSE; its own share of that is the time
 * minus the turn's `durationMs` (the provider turn as the chat actor timed it). The adapter
 * alone on a warm app-server (in this process, no engine) shows what Codex itself costs.
 */
export async function benchCodexOverhead(): Promise<BenchRow[]> {
  const e = await startCodexEngine();
  const binary = pinnedCodexBinary();
  const adapter = new CodexProvider({ binary, env: e.codex.env });
  try {
    const execTurn = async () => {
      const started = performance.now();
      const run = await execa(
        binary,
        ["exec", "--json", "--skip-git-repo-check", "-C", e.codex.workspace, "say hello"],
        { env: e.codex.env, extendEnv: false, stdin: "ignore", reject: false, timeout: 60_000 },
      );
      if (!run.stdout.includes('"turn.completed"')) throw new Error(`codex exec: ${run.stderr}`);
      return performance.now() - started;
    };
    let adapterSession: string | null = null;
    const adapterTurn = async () => {
      const started = performance.now();
      const turn = recordTurn(adapter, {
        chatId: "bench",
        turnId: randomUUID(),
        text: "say hello",
        cwd: e.codex.workspace,
        resumeSessionId: adapterSession,
        attachments: [],
        settings: {},
      });
      const end = await turn.ended;
      if (end.kind !== "completed") throw new Error(`adapter turn: ${end.kind}`);
      const session = turn.outputs.find((o) => o.kind === "session");
      if (session?.kind === "session") adapterSession = session.sessionId;
      return performance.now() - started;
    };

    await execTurn(); // warm-up: file cache, Codex's first-run setup of CODEX_HOME
    await e.createChat("bench");
    const coldStart = await engineTurn(e, "bench"); // starts the app-server: one sample
    await adapterTurn();
    const exec: number[] = [];
    const adapterWarm: number[] = [];
    const warm: number[] = [];
    const overhead: number[] = [];
    const newChat: number[] = [];
    for (let i = 0; i < TURNS; i++) {
      exec.push(await execTurn());
      adapterWarm.push(await adapterTurn());
      const turn = await engineTurn(e, "bench");
      warm.push(turn.ms);
      overhead.push(turn.engineMs);
      await e.createChat(`new-${i}`);
      newChat.push((await engineTurn(e, `new-${i}`)).ms);
    }
    const floor = median(exec);
    const warmMs = median(warm);
    const overheadMs = median(overhead);
    const row = (name: string, value: number, note: string): BenchRow => ({
      name,
      value,
      unit: "ms",
      ratio: value / floor,
      note,
    });
    return [
      {
        name: "codex.exec_json.cold_turn",
        value: floor,
        unit: "ms",
        note: `codex exec --json, spawn to exit, median of ${TURNS}`,
      },
      row(
        "codex.adapter.warm_turn",
        median(adapterWarm),
        "no engine: the adapter on a warm app-server, in the bench process",
      ),
      row(
        "codex.engine.first_turn.app_server_start",
        coldStart.ms,
        "the engine's first Codex turn, app-server start included (one sample)",
      ),
      row(
        "codex.engine.new_chat_turn",
        median(newChat),
        "first turn of a new chat on the warm app-server (thread/start included)",
      ),
      {
        ...row(
          "codex.engine.warm_turn",
          warmMs,
          "POST /messages to chat.turn.completed on SSE, same chat",
        ),
        goal: "< codex exec cold turn (ratio < 1)",
      },
      {
        name: "codex.engine.overhead_per_turn",
        value: overheadMs,
        unit: "ms",
        ratio: overheadMs / warmMs,
        note: "warm turn minus its durationMs (HTTP, queue, log, SSE); ratio of the warm turn",
      },
    ];
  } finally {
    await adapter.shutdown();
    await e.close();
  }
}

/** One engine turn as a control plane sees it, and the part of it outside the provider turn. */
async function engineTurn(e: CodexEngine, chatId: string) {
  const started = performance.now();
  const end = await e.turn(chatId, "say hello");
  if (end.type !== "chat.turn.completed") throw new Error(`engine turn: ${end.type}`);
  const ms = end.arrivedAt - started;
  return { ms, engineMs: ms - end.data.durationMs };
}
