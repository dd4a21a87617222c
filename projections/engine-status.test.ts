import { describe, expect, it } from "vitest";
import type { NewEvent } from "../src/events/catalogue.js";
import { recorded } from "../test/support/recorded-events.js";
import { engineStatusProjection } from "./engine-status.js";
import { foldEvents } from "./fold.js";

const started: NewEvent = {
  type: "engine.started",
  data: { version: "1.0.0", pid: 42, host: "127.0.0.1", port: 1 },
};

describe("engine status projection", () => {
  it("given engine.started, the engine runs and the boot is counted", () => {
    const doc = foldEvents(engineStatusProjection, recorded([started])).get("engine")?.data;
    expect(doc).toMatchObject({
      state: "running",
      version: "1.0.0",
      pid: 42,
      boots: 1,
      stoppedAt: null,
    });
  });

  it("a stop then a new start counts two boots and clears the stop", () => {
    const doc = foldEvents(
      engineStatusProjection,
      recorded([started, { type: "engine.stopped", data: { reason: "signal" } }, started]),
    ).get("engine")?.data;
    expect(doc).toMatchObject({ state: "running", boots: 2, stoppedAt: null });
  });

  it("a recovery is remembered across the next boot", () => {
    const doc = foldEvents(
      engineStatusProjection,
      recorded([
        started,
        {
          type: "engine.recovered",
          data: { interruptedTurns: [{ chatId: "c", turnId: "t" }], queuedMessages: 2 },
        },
        started,
      ]),
    ).get("engine")?.data;
    expect(doc?.lastRecovery).toEqual({
      at: "2026-01-01T00:00:02.000Z",
      interruptedTurns: 1,
      queuedMessages: 2,
    });
  });

  it("a stop is recorded with its time", () => {
    const doc = foldEvents(
      engineStatusProjection,
      recorded([started, { type: "engine.stopped", data: { reason: "shutdown" } }]),
    ).get("engine")?.data;
    expect(doc).toMatchObject({ state: "stopped", stoppedAt: "2026-01-01T00:00:02.000Z" });
  });
});
