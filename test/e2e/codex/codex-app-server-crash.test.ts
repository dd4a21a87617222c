import { afterEach, describe, expect, test } from "vitest";
import { stall, text } from "../../fakes/openai/index.js";
import { processAlive } from "../../support/processes.js";
import { type CodexEngine, startCodexEngine } from "./codex-engine.js";

let e: CodexEngine | undefined;
afterEach(async () => {
  await e?.close();
  e = undefined;
});

describe("codex chats through the engine: the app-server dies", () => {
  test("killed with SIGKILL mid-turn: the turn fails cleanly and the next message works", async () => {
    e = await startCodexEngine();
    await e.createChat("k1");
    e.fake.script(stall());
    const { ended } = await e.send("k1", "hang");
    await e.fake.waitForRequests(1);
    const { sessionId } = (await e.client.getChat("k1")).chat;
    expect(sessionId).not.toBeNull();
    const [pid, ...others] = await e.appServerPids();
    expect(pid).toBeDefined();
    expect(others).toEqual([]);

    process.kill(pid!, "SIGKILL");
    expect(await ended).toMatchObject({
      type: "chat.turn.failed",
      data: { error: { code: "provider_process_exited" } },
    });
    expect((await e.client.getChat("k1")).chat.status).toBe("idle");
    expect(processAlive(e.engine.child.pid!)).toBe(true);

    e.fake.script(text("recovered"));
    expect((await e.turn("k1", "hello again")).type).toBe("chat.turn.completed");
    expect((await e.client.history("k1")).items.at(-1)?.item).toEqual({
      type: "assistant_text",
      text: "recovered",
    });
    // A new app-server resumed the same thread.
    expect((await e.client.getChat("k1")).chat.sessionId).toBe(sessionId);
    const restarted = await e.appServerPids();
    expect(restarted).toHaveLength(1);
    expect(restarted).not.toContain(pid);
  });
});
