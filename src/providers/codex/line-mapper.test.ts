import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { packageRoot } from "../../package-root.js";
import type { ProviderOutput } from "../provider.js";
import type { RpcNotification } from "./json-rpc-connection.js";
import { CodexLineMapper } from "./line-mapper.js";

interface TranscriptLine {
  dir: string;
  msg: { id?: number; method?: string; params?: unknown; result?: { turn?: { id: string } } };
}

/**
 * Replays a recorded app-server session through mappers as the adapter does: one mapper per
 * turn, its id from the `turn/start` reply, the next turn's baseline from the previous mapper.
 */
function replay(name: string): ProviderOutput[][] {
  const lines = readFileSync(join(packageRoot, "test/fixtures/codex", name), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as TranscriptLine);
  const turnStartIds = new Set(
    lines.filter((l) => l.dir === "send" && l.msg.method === "turn/start").map((l) => l.msg.id),
  );
  const turns: ProviderOutput[][] = [];
  let mapper = new CodexLineMapper(null);
  let outputs: ProviderOutput[] = [];
  for (const { dir, msg } of lines) {
    if (dir !== "recv") continue;
    if (msg.method === undefined) {
      if (turnStartIds.has(msg.id) && msg.result?.turn)
        outputs.push(...mapper.setTurnId(msg.result.turn.id));
    } else {
      outputs.push(...mapper.handle({ method: msg.method, params: msg.params } as RpcNotification));
    }
    const last = outputs.at(-1);
    if (last && ["completed", "failed", "interrupted"].includes(last.kind)) {
      turns.push(outputs);
      outputs = [];
      mapper = new CodexLineMapper(mapper.latestTotals);
    }
  }
  return turns;
}

const isModelWarning = (o: ProviderOutput) =>
  o.kind === "item" && o.item.type === "notice" && o.item.message.startsWith("Model metadata");

/** Outputs minus activity and the recording's "unknown mock-model" warning (tested once, below). */
const meaningful = (outputs: ProviderOutput[]) =>
  outputs.filter((o) => o.kind !== "activity" && !isModelWarning(o));

describe("CodexLineMapper on recorded app-server transcripts", () => {
  test("a shell turn: command, reasoning and text stream, then usage of a new thread", () => {
    const [turn] = replay("appserver-basic-shell.jsonl");
    expect(meaningful(turn!)).toEqual([
      {
        kind: "item",
        itemId: "call_7_0",
        item: {
          type: "command",
          command: "/bin/bash -lc 'echo hi > hello.txt'",
          output: "",
          exitCode: null,
          status: "in_progress",
        },
      },
      {
        kind: "item",
        itemId: "call_7_0",
        item: {
          type: "command",
          command: "/bin/bash -lc 'echo hi > hello.txt'",
          output: "",
          exitCode: 0,
          status: "completed",
        },
      },
      { kind: "delta", itemId: "rs_8_0", itemKind: "reasoning", text: "The file was written." },
      {
        kind: "item",
        itemId: "rs_8_0",
        item: { type: "reasoning", text: "The file was written." },
      },
      {
        kind: "delta",
        itemId: "msg_8_1",
        itemKind: "assistant_text",
        text: "I created hello.txt.",
      },
      {
        kind: "item",
        itemId: "msg_8_1",
        item: { type: "assistant_text", text: "I created hello.txt." },
      },
      {
        kind: "completed",
        costUsd: null,
        // Totals 220 in / 40 cached / 20 out / 6 reasoning over two model calls; new thread.
        usage: {
          inputTokens: 160,
          cacheReadTokens: 40,
          cacheWriteTokens: 0,
          outputTokens: 20,
          reasoningTokens: 6,
        },
      },
    ]);
  });

  test("a warning of the thread becomes a notice item", () => {
    const [turn] = replay("appserver-basic-shell.jsonl");
    expect(turn!.filter(isModelWarning)).toEqual([
      {
        kind: "item",
        itemId: expect.stringContaining(":notice:"),
        item: {
          type: "notice",
          level: "warning",
          message:
            "Model metadata for `mock-model` not found. Defaulting to fallback metadata; this can degrade performance and cause issues.",
        },
      },
    ]);
  });

  test("a 401 fails the turn with provider_auth_failed, the API's message and what to configure", () => {
    const [turn] = replay("appserver-error-401.jsonl");
    expect(meaningful(turn!)).toEqual([
      {
        kind: "failed",
        error: {
          code: "provider_auth_failed",
          message: expect.stringMatching(
            /^Codex has no usable credentials \(unexpected status 401 Unauthorized: Incorrect API key provided, url: http:\/\/127\.0\.0\.1:46439\/v1\/responses\)\. Configure Codex's credentials: set OPENAI_API_KEY.*~\/\.codex\/auth\.json/,
          ),
          details: {
            httpStatusCode: 401,
            codexErrorInfo: { httpConnectionFailed: { httpStatusCode: 401 } },
          },
        },
      },
    ]);
  });

  test("a 500 after its retry fails with a named code; a retry notice shows once; next turn completes", () => {
    const [failed, ok] = replay("appserver-error-500-then-ok.jsonl");
    const notices = meaningful(failed!).filter((o) => o.kind === "item");
    expect(notices).toEqual([
      expect.objectContaining({
        item: { type: "notice", level: "warning", message: "Reconnecting... 1/1" },
      }),
    ]);
    expect(failed!.at(-1)).toMatchObject({
      kind: "failed",
      error: { code: "codex_internal_server_error" },
    });
    expect(ok!.at(-1)).toMatchObject({ kind: "completed" });
  });

  test("an interrupt during a command; the next turn's usage is its own share of the totals", () => {
    const [interrupted, next] = replay("appserver-interrupt-during-command.jsonl");
    expect(interrupted!.at(-1)).toEqual({ kind: "interrupted" });
    // Totals went 110 → 220: the second turn used 100 in (20 cached), 10 out, 3 reasoning.
    expect(next!.at(-1)).toEqual({
      kind: "completed",
      costUsd: null,
      usage: {
        inputTokens: 80,
        cacheReadTokens: 20,
        cacheWriteTokens: 0,
        outputTokens: 10,
        reasoningTokens: 3,
      },
    });
    expect(meaningful(next!)).toContainEqual({
      kind: "item",
      itemId: "msg_18_0",
      item: { type: "assistant_text", text: "second turn answer" },
    });
  });

  test("an interrupt while text streams", () => {
    const [interrupted, next] = replay("appserver-interrupt-during-model-stream.jsonl");
    expect(interrupted!.at(-1)).toEqual({ kind: "interrupted" });
    expect(next!.at(-1)).toMatchObject({ kind: "completed" });
  });

  test("after thread/resume the repeated totals of the old turn become the baseline", () => {
    // A fresh mapper (new process, nothing known): the 110 of the earlier turn is not counted.
    const [turn] = replay("appserver-thread-resume.jsonl");
    expect(turn!.at(-1)).toEqual({
      kind: "completed",
      costUsd: null,
      usage: {
        inputTokens: 80,
        cacheReadTokens: 20,
        cacheWriteTokens: 0,
        outputTokens: 10,
        reasoningTokens: 3,
      },
    });
  });

  test("an unreachable API: the first 'waiting for network' fails the turn at once, nothing after it", () => {
    const [turn] = replay("appserver-unreachable-then-interrupt.jsonl");
    expect(meaningful(turn!)).toEqual([
      {
        kind: "failed",
        error: expect.objectContaining({
          code: "provider_unreachable",
          message: expect.stringMatching(
            /^Codex cannot reach the model API \(Reconnecting\.\.\. waiting for network\)\. Check the network/,
          ),
        }),
      },
    ]);
    // Every retry is still proof of life for the watchdog.
    expect(turn!.filter((o) => o.kind === "activity").length).toBeGreaterThan(0);
  });
});

describe("CodexLineMapper", () => {
  const scoped = (params: Record<string, unknown>) => ({ threadId: "th", turnId: "tu", ...params });

  test("holds notifications until the turn id is known, then ignores other turns'", () => {
    const mapper = new CodexLineMapper(null);
    expect(
      mapper.handle({
        method: "item/agentMessage/delta",
        params: scoped({ itemId: "m", delta: "hi" }),
      }),
    ).toEqual([]);
    const replayed = mapper.setTurnId("tu");
    expect(replayed).toEqual([
      { kind: "delta", itemId: "m", itemKind: "assistant_text", text: "hi" },
    ]);
    const other = {
      method: "item/agentMessage/delta",
      params: { threadId: "th", turnId: "old", itemId: "x", delta: "no" },
    };
    expect(mapper.handle(other)).toEqual([]);
  });

  test("a plan update becomes a todo list with one item id per turn", () => {
    const mapper = new CodexLineMapper(null);
    mapper.setTurnId("tu");
    const update = (status: string) => ({
      method: "turn/plan/updated",
      params: scoped({
        explanation: null,
        plan: [
          { step: "Write tests", status },
          { step: "Ship", status: "pending" },
        ],
      }),
    });
    const first = mapper.handle(update("inProgress"));
    const second = mapper.handle(update("completed"));
    expect(first).toEqual([
      {
        kind: "item",
        itemId: "tu:todo",
        item: {
          type: "todo_list",
          items: [
            { text: "Write tests", status: "in_progress" },
            { text: "Ship", status: "pending" },
          ],
        },
      },
    ]);
    expect(second[0]).toMatchObject({
      itemId: "tu:todo",
      item: { items: [{ status: "completed" }, {}] },
    });
  });

  test("command output streamed by deltas is used when the item has no aggregated output", () => {
    const mapper = new CodexLineMapper(null);
    mapper.setTurnId("tu");
    mapper.handle({
      method: "item/commandExecution/outputDelta",
      params: scoped({ itemId: "c", delta: "line 1\n" }),
    });
    mapper.handle({
      method: "item/commandExecution/outputDelta",
      params: scoped({ itemId: "c", delta: "line 2\n" }),
    });
    const done = mapper.handle({
      method: "item/completed",
      params: scoped({
        item: {
          type: "commandExecution",
          id: "c",
          command: "seq",
          status: "failed",
          aggregatedOutput: null,
          exitCode: 2,
        },
      }),
    });
    expect(done).toEqual([
      {
        kind: "item",
        itemId: "c",
        item: {
          type: "command",
          command: "seq",
          output: "line 1\nline 2\n",
          exitCode: 2,
          status: "failed",
        },
      },
    ]);
  });

  test("a completed turn without any usage report has null usage; exactly one terminal", () => {
    const mapper = new CodexLineMapper(null);
    mapper.setTurnId("tu");
    const completed = {
      method: "turn/completed",
      params: { threadId: "th", turn: { id: "tu", status: "completed", error: null } },
    };
    expect(mapper.handle(completed)).toEqual([{ kind: "completed", usage: null, costUsd: null }]);
    expect(mapper.handle(completed)).toEqual([]);
  });
});
