import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { CanonicalItem } from "../../events/canonical-item.js";
import { packageRoot } from "../../package-root.js";
import type { ProviderOutput } from "../provider.js";
import { isLine, parseClaudeLine } from "./claude-protocol.js";
import { ClaudeLineMapper } from "./line-mapper.js";
import { terminalFromResult } from "./turn-result.js";

/** Real stdout of claude 2.1.330 (copied from ../shared/reference/claude-code/transcripts). */
function transcript(name: string): string[] {
  return readFileSync(join(packageRoot, "test", "fixtures", "claude", name), "utf8")
    .split("\n")
    .filter((l) => l.trim());
}

/** Replays stdout lines the way the chat session does: one mapper per turn, a result ends it. */
function replay(lines: string[], interruptRequested = false): ProviderOutput[][] {
  const turns: ProviderOutput[][] = [];
  let mapper = new ClaudeLineMapper();
  let outputs: ProviderOutput[] = [];
  for (const raw of lines) {
    const parsed = parseClaudeLine(raw);
    if (!parsed.ok) throw new Error(parsed.reason);
    if (isLine(parsed.line, "result")) {
      outputs.push(terminalFromResult(parsed.line, interruptRequested));
      turns.push(outputs);
      outputs = [];
      mapper = new ClaudeLineMapper();
      continue;
    }
    outputs.push(...mapper.map(parsed.line));
  }
  return turns;
}

function items(outputs: ProviderOutput[]): CanonicalItem[] {
  return outputs.flatMap((o) => (o.kind === "item" ? [o.item] : []));
}

describe("parseClaudeLine", () => {
  test("malformed lines are reported, never thrown", () => {
    expect(parseClaudeLine("not json")).toEqual({ ok: false, reason: "not JSON" });
    expect(parseClaudeLine("[1,2]")).toEqual({ ok: false, reason: "not a JSON object" });
    expect(parseClaudeLine('{"subtype":"init"}')).toEqual({
      ok: false,
      reason: "no string `type`",
    });
    expect(parseClaudeLine('{"type":"something_new"}')).toEqual({
      ok: true,
      line: { type: "something_new" },
    });
  });
});

describe("ClaudeLineMapper on recorded transcripts", () => {
  test("tooluse-partial: session, deltas then the text item with the same id, tool call and result, completed", () => {
    const [turn] = replay(transcript("tooluse-partial.jsonl"));
    const outputs = turn ?? [];
    expect(outputs[0]).toEqual({ kind: "session", sessionId: expect.any(String) });
    const firstText = outputs.find((o) => o.kind === "item" && o.item.type === "assistant_text");
    const itemId = firstText?.kind === "item" ? firstText.itemId : "";
    const deltas = outputs.filter((o) => o.kind === "delta" && o.itemId === itemId);
    expect(deltas.map((d) => (d.kind === "delta" ? d.text : "")).join("")).toBe(
      "I will create the file.",
    );
    expect(outputs.indexOf(deltas.at(-1) as ProviderOutput)).toBeLessThan(
      outputs.indexOf(firstText as ProviderOutput),
    );
    expect(items(outputs).map((i) => i.type)).toEqual([
      "assistant_text",
      "tool_call",
      "tool_result",
      "assistant_text",
    ]);
    const [, call, result] = items(outputs);
    expect(call).toMatchObject({ type: "tool_call", name: "Write" });
    expect(result).toMatchObject({ type: "tool_result", isError: false });
    expect(
      call?.type === "tool_call" && result?.type === "tool_result" && call.callId === result.callId,
    ).toBe(true);
    expect(outputs.at(-1)).toEqual({
      kind: "completed",
      usage: {
        inputTokens: 5213,
        outputTokens: 26,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      },
      costUsd: 0.021372,
    });
  });

  test("tooluse (no partial messages): each block of a message gets its own item id", () => {
    const [turn] = replay(transcript("tooluse.jsonl"));
    const ids = (turn ?? []).flatMap((o) => (o.kind === "item" ? [o.itemId] : []));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^msg_.+:0$/);
  });

  test("int-control-slow: an interrupt we asked for ends interrupted, keeping the partial text; the next turn completes", () => {
    const turns = replay(transcript("int-control-slow.jsonl"), true);
    expect(turns).toHaveLength(2);
    const [first, second] = turns;
    expect(first?.at(-1)).toEqual({ kind: "interrupted" });
    expect(items(first ?? [])).toEqual([
      { type: "assistant_text", text: "word0 word1 word2 word3 word4 word5" },
    ]);
    expect(second?.at(-1)?.kind).toBe("completed");
  });

  test("int-control-sleep: interrupted during a tool, whose result is an error", () => {
    const [first] = replay(transcript("int-control-sleep.jsonl"), true);
    expect(first?.at(-1)).toEqual({ kind: "interrupted" });
    const result = items(first ?? []).find((i) => i.type === "tool_result");
    expect(result).toMatchObject({ isError: true });
  });

  test("an abort nobody asked for is a failure, not an interrupt", () => {
    const [first] = replay(transcript("int-control-slow.jsonl"), false);
    expect(first?.at(-1)).toMatchObject({ kind: "failed", error: { code: "provider_error" } });
  });

  test("err-401: failed with a clear auth error and the HTTP status; the synthetic text is no item", () => {
    const [turn] = replay(transcript("err-401.jsonl"));
    expect(items(turn ?? [])).toEqual([]);
    const end = turn?.at(-1);
    expect(end).toMatchObject({
      kind: "failed",
      error: {
        code: "provider_auth_failed",
        details: { api_error_status: 401, api_error_type: "authentication_error" },
      },
    });
    expect(end?.kind === "failed" && end.error.message).toContain("HTTP 401");
  });

  test("err529-r2: each retry is a warning notice; the turn fails as an API error", () => {
    const [turn] = replay(transcript("err529-r2.jsonl"));
    const notices = items(turn ?? []).filter((i) => i.type === "notice");
    expect(notices).toHaveLength(2);
    expect(notices[0]).toMatchObject({ level: "warning", message: expect.stringContaining("529") });
    expect(turn?.at(-1)).toMatchObject({
      kind: "failed",
      error: { code: "provider_api_error", message: expect.stringContaining("529") },
    });
  });

  test("plan-stdio: the plan file write and ExitPlanMode become plan items", () => {
    const [turn] = replay(transcript("plan-stdio.jsonl"));
    const plans = items(turn ?? []).filter((i) => i.type === "plan");
    const path = "/home/ubuntu/.claude/plans/plan-a-refactor-mock-plan-stateless-tarjan.md";
    expect(plans).toEqual([
      { type: "plan", text: "# Plan\n\n1. Step one\n2. Step two\n", path },
      { type: "plan", text: "# Plan\n\n1. Step one\n2. Step two\n", path },
    ]);
    expect(turn?.at(-1)?.kind).toBe("completed");
  });

  test("write-default: a denied permission is a warning notice and an error result", () => {
    const [turn] = replay(transcript("write-default.jsonl"));
    const all = items(turn ?? []);
    expect(all.find((i) => i.type === "notice")).toMatchObject({
      level: "warning",
      message: expect.stringContaining("requested permissions"),
    });
    expect(all.find((i) => i.type === "tool_result")).toMatchObject({ isError: true });
  });

  test("resume: an unknown session id fails with the CLI's message", () => {
    const turns = replay(transcript("resume.jsonl"));
    const lost = turns.find((t) => t.at(-1)?.kind === "failed");
    expect(lost?.at(-1)).toMatchObject({
      kind: "failed",
      error: { message: expect.stringContaining("No conversation found") },
    });
  });
});

describe("ClaudeLineMapper on synthetic lines", () => {
  test("a TodoWrite call adds a todo_list item", () => {
    const mapper = new ClaudeLineMapper();
    const outputs = mapper.map({
      type: "assistant",
      message: {
        id: "msg_1",
        content: [
          {
            type: "tool_use",
            id: "toolu_1",
            name: "TodoWrite",
            input: {
              todos: [
                { content: "Write tests", status: "completed", activeForm: "Writing tests" },
                { content: "Ship", status: "in_progress", activeForm: "Shipping" },
                { content: "Odd", status: "unknown" },
              ],
            },
          },
        ],
      },
    } as never);
    expect(items(outputs)[1]).toEqual({
      type: "todo_list",
      items: [
        { text: "Write tests", status: "completed" },
        { text: "Ship", status: "in_progress" },
        { text: "Odd", status: "pending" },
      ],
    });
  });

  test("the session is reported once per mapper even if init repeats", () => {
    const mapper = new ClaudeLineMapper();
    const init = { type: "system", subtype: "init", session_id: "s-1" } as never;
    expect(mapper.map(init)).toEqual([{ kind: "session", sessionId: "s-1" }]);
    expect(mapper.map(init)).toEqual([{ kind: "activity" }]);
  });
});
