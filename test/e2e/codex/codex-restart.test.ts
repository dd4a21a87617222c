import { afterEach, describe, expect, test } from "vitest";
import { assistantTexts, text, userTexts } from "../../fakes/openai/index.js";
import { processAlive } from "../../support/processes.js";
import { type CodexEngine, startCodexEngine } from "./codex-engine.js";

let e: CodexEngine | undefined;
afterEach(async () => {
  await e?.close();
  e = undefined;
});

describe("codex chats through the engine: restarts", () => {
  test.each([
    ["SIGTERM", { exitCode: 0, signal: undefined }],
    ["SIGKILL", { exitCode: undefined, signal: "SIGKILL" }],
  ] as const)(
    "two turns, the engine stopped with %s and started again, then a third turn on the same thread",
    async (signal, exit) => {
      e = await startCodexEngine();
      await e.createChat("r1");
      e.fake.script(text("first answer"), text("second answer"), text("third answer"));
      expect((await e.turn("r1", "first question")).type).toBe("chat.turn.completed");
      expect((await e.turn("r1", "second question")).type).toBe("chat.turn.completed");
      const { sessionId } = (await e.client.getChat("r1")).chat;
      expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
      const [appServer, ...others] = await e.appServerPids();
      expect(appServer).toBeDefined();
      expect(others).toEqual([]);

      const stopped = await e.restart(signal);
      expect({ exitCode: stopped.exitCode, signal: stopped.signal }, stopped.output).toEqual(exit);
      // Even a killed engine leaves no app-server behind: its stdin closes with the engine.
      await expect.poll(() => processAlive(appServer!), { timeout: 10_000 }).toBe(false);

      const third = await e.turn("r1", "third question");
      expect(third.type).toBe("chat.turn.completed");
      const { chat } = await e.client.getChat("r1");
      expect(chat.sessionId).toBe(sessionId);
      expect(chat.counters).toMatchObject({ turns: 3, completed: 3 });
      const last = e.fake.requests.at(-1)!;
      expect(userTexts(last)).toEqual(["first question", "second question", "third question"]);
      expect(assistantTexts(last)).toEqual(["first answer", "second answer"]);
      const { items } = await e.client.history("r1");
      expect(items.map((entry) => entry.item)).toEqual([
        { type: "user_message", text: "first question" },
        { type: "assistant_text", text: "first answer" },
        { type: "user_message", text: "second question" },
        { type: "assistant_text", text: "second answer" },
        { type: "user_message", text: "third question" },
        { type: "assistant_text", text: "third answer" },
      ]);
      // The SSE client followed the engine across the restart.
      expect(e.feed.events.filter((ev) => ev.type === "engine.started")).toHaveLength(2);
    },
  );
});
