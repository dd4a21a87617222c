import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { text, toolUse } from "../../fakes/anthropic/index.js";
import { type ClaudeEngine, startClaudeEngine } from "./claude-engine.js";

/** The real engine running the real `claude`: a chat's turns, seen over HTTP and SSE. */
describe("claude through the engine: turns", () => {
  let e: ClaudeEngine;

  beforeAll(async () => {
    e = await startClaudeEngine();
  });
  afterAll(() => e.close());

  test("a text turn: the history holds the user message then the answer; completed with usage and cost", async () => {
    const chatId = await e.chat("text");
    e.fake.enqueue(text("Hello from the real CLI.", { chunks: 4, delayMs: 20 }));
    const end = await e.turn(chatId, "say hello");

    expect(end.type).toBe("chat.turn.completed");
    if (end.type !== "chat.turn.completed") return;
    expect(end.data.usage?.inputTokens).toBeGreaterThan(0);
    expect(end.data.usage?.outputTokens).toBeGreaterThan(0);
    expect(end.data.costUsd).toBeTypeOf("number");
    expect(await e.items(chatId)).toEqual([
      { type: "user_message", text: "say hello" },
      { type: "assistant_text", text: "Hello from the real CLI." },
    ]);
    // The text streamed as deltas on SSE before the final item.
    const deltas = e.feed.events.filter(
      (event) => event.type === "chat.item.delta" && event.data.chatId === chatId,
    );
    const final = e.feed.events.find(
      (event) =>
        event.type === "chat.item.added" &&
        event.data.chatId === chatId &&
        event.data.item.type === "assistant_text",
    );
    expect(deltas.length).toBeGreaterThanOrEqual(1);
    expect(deltas.every((delta) => delta.position < (final?.position ?? 0))).toBe(true);
    const { chat } = await e.client.getChat(chatId);
    expect(chat.status).toBe("idle");
    expect(chat.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(chat.messages.map((m) => m.state)).toEqual(["completed"]);
    expect(chat.counters.costUsd).toBe(end.data.costUsd);
  });

  test("a Write tool call in acceptEdits writes the file in the chat's repository", async () => {
    const chatId = await e.chat("write", { permissionMode: "acceptEdits" });
    const { chat } = await e.client.getChat(chatId);
    const target = join(chat.cwd, "hello.txt");
    e.fake.enqueue(
      toolUse("Write", { file_path: target, content: "written through the engine\n" }),
      text("Wrote hello.txt."),
    );
    const end = await e.turn(chatId, "create hello.txt");

    expect(end.type).toBe("chat.turn.completed");
    expect(await readFile(target, "utf8")).toBe("written through the engine\n");
    const items = await e.items(chatId);
    const call = items.find((i) => i.type === "tool_call");
    expect(call).toMatchObject({ name: "Write", input: { file_path: target } });
    const result = items.find((i) => i.type === "tool_result");
    expect(result).toMatchObject({
      callId: call?.type === "tool_call" ? call.callId : "",
      isError: false,
    });
    expect(items.at(-1)).toEqual({ type: "assistant_text", text: "Wrote hello.txt." });
  });

  test("a Bash tool call runs in the chat's repository; its output is in the history", async () => {
    const chatId = await e.chat("bash", { permissionMode: "bypassPermissions" });
    e.fake.enqueue(
      toolUse("Bash", {
        command: "pwd > where.txt && echo printed-by-bash",
        description: "prove it ran",
      }),
      text("Ran it."),
    );
    const end = await e.turn(chatId, "run it");

    expect(end.type).toBe("chat.turn.completed");
    const { chat } = await e.client.getChat(chatId);
    expect((await readFile(join(chat.cwd, "where.txt"), "utf8")).trim()).toBe(chat.cwd);
    const items = await e.items(chatId);
    expect(items.find((i) => i.type === "tool_call")).toMatchObject({ name: "Bash" });
    const result = items.find((i) => i.type === "tool_result");
    expect(result).toMatchObject({ isError: false });
    expect(result?.type === "tool_result" && result.output).toContain("printed-by-bash");
  });
});
