import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { stall } from "../../fakes/anthropic/index.js";
import { type ClaudeEngine, startClaudeEngine } from "./claude-engine.js";
import { expectNextTurnWorks } from "./next-turn.js";

// Small, to keep the test short; not so small that a CLI starting on a loaded machine trips it.
const WATCHDOG_MS = 5_000;

describe("claude through the engine: a model API that stalls", () => {
  let e: ClaudeEngine;

  beforeAll(async () => {
    e = await startClaudeEngine({ env: { REPLICAS_TURN_WATCHDOG_MS: String(WATCHDOG_MS) } });
  });
  afterAll(() => e.close());

  test("the watchdog fails the turn with watchdog_timeout, then the next message works", async () => {
    const chatId = await e.chat("stall");
    e.fake.enqueue(stall());
    const sent = await e.send(chatId, "hang please");
    const end = await e.turnEnd(sent.messageId, 60_000);
    expect(end.type).toBe("chat.turn.failed");
    expect(end.data).toMatchObject({ error: { code: "watchdog_timeout" } });
    // The stalled stream went silent for the watchdog's whole time: it did not fire early.
    expect(end.arrivedAt - sent.postedAt).toBeGreaterThanOrEqual(WATCHDOG_MS);
    const { chat } = await e.client.getChat(chatId);
    expect(chat.messages[0]).toMatchObject({
      state: "failed",
      error: { code: "watchdog_timeout" },
    });
    await expectNextTurnWorks(e, chatId);
  });
});
