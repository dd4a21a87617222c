import * as v from "valibot";
import { describe, expect, test } from "vitest";
import { ThreadItem } from "./codex-protocol.js";
import { mapCompletedItem, mapStartedItem } from "./item-mapping.js";

const item = (raw: unknown) => v.parse(ThreadItem, raw);

describe("thread item mapping", () => {
  test("an MCP tool call: the call at start, call and result at completion", () => {
    const started = item({
      type: "mcpToolCall",
      id: "mcp1",
      server: "mockmcp",
      tool: "echo",
      status: "inProgress",
      arguments: { text: "ping" },
      result: null,
      error: null,
    });
    const completed = item({
      type: "mcpToolCall",
      id: "mcp1",
      server: "mockmcp",
      tool: "echo",
      status: "completed",
      arguments: { text: "ping" },
      result: { content: [{ type: "text", text: "echo: ping" }], structuredContent: null },
      error: null,
    });
    expect(mapStartedItem(started)).toEqual([
      {
        itemId: "mcp1",
        item: { type: "tool_call", callId: "mcp1", name: "mockmcp.echo", input: { text: "ping" } },
      },
    ]);
    expect(mapCompletedItem(completed)).toEqual([
      {
        itemId: "mcp1",
        item: { type: "tool_call", callId: "mcp1", name: "mockmcp.echo", input: { text: "ping" } },
      },
      {
        itemId: "mcp1:result",
        item: { type: "tool_result", callId: "mcp1", output: "echo: ping", isError: false },
      },
    ]);
  });

  test("a failed MCP call carries the error message as an error result", () => {
    const failed = item({
      type: "mcpToolCall",
      id: "m2",
      server: "s",
      tool: "t",
      status: "failed",
      arguments: {},
      result: null,
      error: { message: "tool exploded" },
    });
    expect(mapCompletedItem(failed)[1]).toEqual({
      itemId: "m2:result",
      item: { type: "tool_result", callId: "m2", output: "tool exploded", isError: true },
    });
  });

  test("file changes: add, delete, update and a move (rename)", () => {
    const changes = item({
      type: "fileChange",
      id: "p1",
      status: "completed",
      changes: [
        { path: "/w/a.txt", kind: { type: "add" }, diff: "" },
        { path: "/w/b.txt", kind: { type: "delete" }, diff: "" },
        { path: "/w/c.txt", kind: { type: "update", move_path: null }, diff: "" },
        { path: "/w/d.txt", kind: { type: "update", move_path: "/w/e.txt" }, diff: "" },
      ],
    });
    expect(mapCompletedItem(changes)).toEqual([
      {
        itemId: "p1",
        item: {
          type: "file_change",
          status: "completed",
          changes: [
            { path: "/w/a.txt", kind: "add" },
            { path: "/w/b.txt", kind: "delete" },
            { path: "/w/c.txt", kind: "update" },
            { path: "/w/d.txt", kind: "rename" },
          ],
        },
      },
    ]);
  });

  test("reasoning: summary parts joined, raw content as fallback, nothing when empty", () => {
    expect(
      mapCompletedItem(item({ type: "reasoning", id: "r", summary: ["a", "b"], content: ["raw"] })),
    ).toEqual([{ itemId: "r", item: { type: "reasoning", text: "a\n\nb" } }]);
    expect(
      mapCompletedItem(item({ type: "reasoning", id: "r", summary: [], content: ["raw"] })),
    ).toEqual([{ itemId: "r", item: { type: "reasoning", text: "raw" } }]);
    expect(
      mapCompletedItem(item({ type: "reasoning", id: "r", summary: [], content: [] })),
    ).toEqual([]);
  });

  test("a declined command, a plan, a web search and a dynamic tool call", () => {
    expect(
      mapCompletedItem(
        item({
          type: "commandExecution",
          id: "c",
          command: "rm -rf /",
          status: "declined",
          aggregatedOutput: null,
          exitCode: null,
        }),
      ),
    ).toEqual([
      {
        itemId: "c",
        item: {
          type: "command",
          command: "rm -rf /",
          output: "",
          exitCode: null,
          status: "declined",
        },
      },
    ]);
    expect(mapCompletedItem(item({ type: "plan", id: "pl", text: "1. do it" }))).toEqual([
      { itemId: "pl", item: { type: "plan", text: "1. do it", path: null } },
    ]);
    expect(
      mapCompletedItem(
        item({ type: "webSearch", id: "ws", query: "vitest", action: null, results: null }),
      ),
    ).toEqual([
      {
        itemId: "ws",
        item: { type: "tool_call", callId: "ws", name: "web_search", input: { query: "vitest" } },
      },
    ]);
    const dynamic = item({
      type: "dynamicToolCall",
      id: "d",
      namespace: null,
      tool: "lookup",
      arguments: { q: 1 },
      status: "completed",
      contentItems: [{ type: "inputText", text: "found" }],
      success: true,
    });
    expect(mapCompletedItem(dynamic)[1]).toEqual({
      itemId: "d:result",
      item: { type: "tool_result", callId: "d", output: "found", isError: false },
    });
  });

  test("user messages and unknown item types are not items of ours", () => {
    expect(v.safeParse(ThreadItem, { type: "userMessage", id: "u", content: [] }).success).toBe(
      false,
    );
    expect(v.safeParse(ThreadItem, { type: "hookPrompt", id: "h", fragments: [] }).success).toBe(
      false,
    );
  });
});
