import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { httpError, text } from "../../fakes/openai/index.js";
import { freePort } from "../../support/engine-process.js";
import { type CodexEngine, startCodexEngine } from "./codex-engine.js";

let e: CodexEngine | undefined;
afterEach(async () => {
  await e?.close();
  e = undefined;
});

describe("codex chats through the engine: model API faults", () => {
  test("a 401 from the model API fails the turn without the key; the next turn works", async () => {
    e = await startCodexEngine();
    await e.createChat("a1");
    e.fake.script(httpError(401, "Incorrect API key provided"), text("welcome back"));
    const failed = await e.turn("a1", "hello");

    expect(failed).toMatchObject({
      type: "chat.turn.failed",
      data: { error: { code: "provider_auth_failed", details: { httpStatusCode: 401 } } },
    });
    const { chat } = await e.client.getChat("a1");
    expect(chat.lastError).toMatchObject({ code: "provider_auth_failed" });
    expect(JSON.stringify(e.feed.events)).not.toContain(e.codex.env.LOCAL_API_KEY);

    expect((await e.turn("a1", "again")).type).toBe("chat.turn.completed");
    expect((await e.client.history("a1")).items.at(-1)?.item).toEqual({
      type: "assistant_text",
      text: "welcome back",
    });
  });

  test("an unreachable model API: the turn fails with provider_unreachable long before the watchdog; pointed back, a new chat works", async () => {
    const closed = `http://127.0.0.1:${await freePort()}/v1`;
    // The watchdog stays at its 10 minutes: the adapter itself must end the turn.
    e = await startCodexEngine({ baseUrl: closed });
    await e.createChat("u1");
    const failed = await e.turn("u1", "anyone there?");

    expect(failed).toMatchObject({
      type: "chat.turn.failed",
      data: {
        error: { code: "provider_unreachable", message: expect.stringContaining("base_url") },
      },
    });
    expect(e.feed.events).not.toContainEqual(
      expect.objectContaining({ type: "chat.turn.interrupting" }),
    );
    expect(e.fake.requests).toHaveLength(0);

    expect((await e.client.getChat("u1")).chat).toMatchObject({
      status: "idle",
      counters: { failed: 1 },
    });

    // The API pointed back: a new thread reads the config again and its message works, in the
    // same engine and app-server. (A loaded thread keeps the provider it was started with.)
    const config = join(e.codex.codexHome, "config.toml");
    await writeFile(config, (await readFile(config, "utf8")).replace(closed, e.fake.baseUrl));
    await e.createChat("u2");
    e.fake.script(text("back online"));
    expect((await e.turn("u2", "and now?")).type).toBe("chat.turn.completed");
    expect((await e.client.history("u2")).items.at(-1)?.item).toEqual({
      type: "assistant_text",
      text: "back online",
    });
  });
});
