import { performance } from "node:perf_hooks";
import { execa } from "execa";
import { type ClaudeEngine, startClaudeEngine } from "../test/e2e/claude/claude-engine.js";
import { pinnedClaudeBinary } from "../test/support/claude-env.js";
import type { BenchRow } from "./bench-row.js";
import { median } from "./stats.js";

const RUNS = 9;

/**
 * What the engine adds to a Claude turn. The floor is the pinned `claude` run directly
 * (`-p --output-format stream-json --verbose`, spawn to exit) with the same environment against
 * the same fake model server, in the same run. The engine's turn is timed as a control plane
 * sees it: from POST /messages to `chat.turn.completed` on the SSE stream. A first turn starts
 * the CLI like the direct run does; a warm chat's second turn reuses the running process.
 */
export async function benchClaudeOverhead(): Promise<BenchRow[]> {
  const e = await startClaudeEngine();
  try {
    await directTurn(e); // warm-up: file cache, the CLI's first-run setup
    await engineTurn(e);
    const toExit: number[] = [];
    const toResult: number[] = [];
    const first: number[] = [];
    const overhead: number[] = [];
    const warm: number[] = [];
    // Interleaved, so a change in machine load affects all measures alike.
    for (let i = 0; i < RUNS; i++) {
      const direct = await directTurn(e);
      toExit.push(direct.toExit);
      toResult.push(direct.toResult);
      const turn = await engineTurn(e);
      first.push(turn.ms);
      overhead.push(turn.ms - direct.toResult);
      warm.push((await engineTurn(e, turn.chatId)).ms);
      // Stops its CLI, so live processes do not pile up over the run.
      await e.client.deleteChat(turn.chatId);
    }
    const floor = median(toExit);
    const resultMs = median(toResult);
    const firstMs = median(first);
    const warmMs = median(warm);
    return [
      {
        name: "claude.direct_cli_turn",
        value: floor,
        unit: "ms",
        note: `claude -p, spawn to exit, median of ${RUNS}`,
      },
      {
        name: "claude.direct_cli_turn.to_result",
        value: resultMs,
        unit: "ms",
        ratio: resultMs / floor,
        note: "spawn to the CLI's result line (the point the engine completes a turn)",
      },
      {
        name: "claude.engine_turn.first",
        value: firstMs,
        unit: "ms",
        ratio: firstMs / floor,
        note: "POST /messages to chat.turn.completed on SSE, CLI started for the turn",
      },
      {
        name: "claude.engine_overhead.first",
        value: median(overhead),
        unit: "ms",
        ratio: firstMs / resultMs,
        note: "first turn minus the direct run to its result line, median of paired runs",
      },
      {
        name: "claude.engine_turn.warm",
        value: warmMs,
        unit: "ms",
        ratio: warmMs / floor,
        note: "a warm chat's second turn: no process start",
      },
    ];
  } finally {
    await e.close();
  }
}

let sequence = 0;

/** The pinned CLI run directly: ms from spawn to its `result` line, and to its exit. */
async function directTurn(e: ClaudeEngine): Promise<{ toResult: number; toExit: number }> {
  const cwd = await e.repo(`direct-${sequence++}`);
  const started = performance.now();
  const child = execa(
    pinnedClaudeBinary(),
    ["-p", "say hello", "--output-format", "stream-json", "--verbose"],
    // stdin closed: with a prompt argument and an open stdin the CLI waits 3 s for more input.
    { cwd, env: e.claude.env, stdin: "ignore", reject: false, timeout: 120_000 },
  );
  let output = "";
  let toResult = Number.NaN;
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    if (Number.isNaN(toResult) && output.includes('"type":"result"')) {
      toResult = performance.now() - started;
    }
  });
  const result = await child;
  const toExit = performance.now() - started;
  if (result.exitCode !== 0 || !output.includes('"subtype":"success"')) {
    throw new Error(`the direct claude run failed (exit ${result.exitCode})`);
  }
  return { toResult, toExit };
}

/** One turn through the engine; a new chat (and CLI process) unless a chat is given. */
async function engineTurn(
  e: ClaudeEngine,
  existing?: string,
): Promise<{ chatId: string; ms: number }> {
  const chatId = existing ?? (await e.chat(`bench-${sequence++}`));
  const sent = await e.send(chatId, "say hello");
  const end = await e.turnEnd(sent.messageId);
  if (end.type !== "chat.turn.completed") {
    throw new Error(`the engine's turn ended with ${end.type}`);
  }
  return { chatId, ms: end.arrivedAt - sent.postedAt };
}
