import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { functionCallOutputs, shell, text, userTexts } from "../../fakes/openai/index.js";
import { type CodexEngine, startCodexEngine } from "./codex-engine.js";

let e: CodexEngine | undefined;
afterEach(async () => {
  await e?.close();
  e = undefined;
});

describe("codex chats through the engine: turns", () => {
  test("a text turn: history is the user message then the assistant text; each turn completes with its own usage", async () => {
    e = await startCodexEngine();
    await e.createChat("t1");
    e.fake.script(text("Hello from the fake model", { chunks: 4, chunkDelayMs: 20 }));
    const first = await e.turn("t1", "say hello");

    expect(first.type).toBe("chat.turn.completed");
    expect(first.type === "chat.turn.completed" && first.data.usage).toEqual({
      inputTokens: 80,
      cacheReadTokens: 20,
      cacheWriteTokens: 0,
      outputTokens: 10,
      reasoningTokens: 3,
    });
    const { items } = await e.client.history("t1");
    expect(items.map((entry) => [entry.status, entry.item])).toEqual([
      ["final", { type: "user_message", text: "say hello" }],
      ["final", { type: "assistant_text", text: "Hello from the fake model" }],
    ]);
    // The text streamed over SSE before it landed, under the final item's id.
    const deltas = e.feed.events.flatMap((ev) => (ev.type === "chat.item.delta" ? [ev.data] : []));
    expect(deltas.map((d) => d.text).join("")).toBe("Hello from the fake model");
    expect(new Set(deltas.map((d) => d.itemId))).toEqual(new Set([items[1]?.itemId]));

    // Codex reports thread totals; the second turn must carry only its own tokens.
    e.fake.script(
      text("Again", {
        usage: { inputTokens: 300, cachedInputTokens: 100, outputTokens: 7, reasoningTokens: 2 },
      }),
    );
    const second = await e.turn("t1", "once more");
    expect(second.type === "chat.turn.completed" && second.data.usage).toEqual({
      inputTokens: 200,
      cacheReadTokens: 100,
      cacheWriteTokens: 0,
      outputTokens: 7,
      reasoningTokens: 2,
    });
    const { chat } = await e.client.getChat("t1");
    expect(chat).toMatchObject({
      status: "idle",
      sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      counters: { turns: 2, completed: 2, inputTokens: 280, outputTokens: 17 },
    });
    expect(userTexts(e.fake.requests.at(-1)!)).toEqual(["say hello", "once more"]);
  });

  test("a function call runs a shell command that writes a file in the chat's cwd", async () => {
    e = await startCodexEngine();
    const chat = await e.createChat("s1");
    e.fake.script(
      shell("echo made-by-engine > proof.txt && cat proof.txt"),
      text("Wrote proof.txt."),
    );
    const end = await e.turn("s1", "write a proof file");

    expect(end.type).toBe("chat.turn.completed");
    expect(await readFile(join(chat.cwd, "proof.txt"), "utf8")).toBe("made-by-engine\n");
    const { items } = await e.client.history("s1");
    expect(items.map((entry) => entry.item)).toEqual([
      { type: "user_message", text: "write a proof file" },
      expect.objectContaining({
        type: "command",
        status: "completed",
        exitCode: 0,
        output: "made-by-engine\n",
      }),
      { type: "assistant_text", text: "Wrote proof.txt." },
    ]);
    // The command's output went back to the model.
    expect([...functionCallOutputs(e.fake.requests.at(-1)!).values()].join()).toContain(
      "made-by-engine",
    );
  });
});
