import { afterEach, describe, expect, test } from "vitest";
import { type FakeAnthropicServer, startFakeAnthropic, text } from "../../fakes/anthropic/index.js";
import { type ClaudeTestEnv, makeClaudeEnv, pinnedClaudeBinary } from "../../support/claude-env.js";
import { type CodexEngine, startCodexEngine } from "./codex-engine.js";

let e: CodexEngine | undefined;
let claude: { fake: FakeAnthropicServer; env: ClaudeTestEnv } | undefined;
afterEach(async () => {
  await e?.close();
  await claude?.fake.close();
  await claude?.env.cleanup();
  e = undefined;
  claude = undefined;
});

const lastAssistantText = async (engine: CodexEngine, chatId: string) =>
  (await engine.client.history(chatId)).items.findLast(
    (entry) => entry.item.type === "assistant_text",
  )?.item;

describe("codex chats through the engine: several at once", () => {
  test("five codex chats at once each get their own answer on their own thread", async () => {
    e = await startCodexEngine();
    const chatIds = ["c1", "c2", "c3", "c4", "c5"];
    for (const chatId of chatIds) await e.createChat(chatId);
    // The fake's default handler answers `echo: <the question>`.
    const ends = await Promise.all(chatIds.map((chatId) => e!.turn(chatId, `question ${chatId}`)));

    expect(ends.map((end) => end.type)).toEqual(chatIds.map(() => "chat.turn.completed"));
    for (const chatId of chatIds) {
      expect(await lastAssistantText(e, chatId)).toEqual({
        type: "assistant_text",
        text: `echo: question ${chatId}`,
      });
    }
    const chats = await e.client.allChats();
    const sessions = new Set(chats.map((chat) => chat.sessionId));
    expect(sessions.size).toBe(5);
    expect(sessions.has(null)).toBe(false);
    // One shared app-server holds all five threads.
    expect(await e.appServerPids()).toHaveLength(1);
  });

  test("a claude chat and a codex chat side by side in one engine", async () => {
    const fake = await startFakeAnthropic({ defaultReply: text("Hello from the fake Claude.") });
    const env = await makeClaudeEnv(fake.url);
    claude = { fake, env };
    // The Claude CLI keeps its state in ~/.claude: the engine's HOME is the Claude env's.
    e = await startCodexEngine({
      home: env.home,
      env: { ...env.env, REPLICAS_CLAUDE_BIN: pinnedClaudeBinary() },
    });
    await e.createChat("cl", "claude");
    await e.createChat("cx", "codex");
    const [claudeEnd, codexEnd] = await Promise.all([
      e.turn("cl", "hello claude"),
      e.turn("cx", "hello codex"),
    ]);

    expect(claudeEnd.type).toBe("chat.turn.completed");
    expect(codexEnd.type).toBe("chat.turn.completed");
    expect(await lastAssistantText(e, "cl")).toEqual({
      type: "assistant_text",
      text: "Hello from the fake Claude.",
    });
    expect(await lastAssistantText(e, "cx")).toEqual({
      type: "assistant_text",
      text: "echo: hello codex",
    });
    expect(fake.requests.length).toBeGreaterThanOrEqual(1);
    expect(e.fake.requests).toHaveLength(1);
  });
});
