import { describe, expect, it } from "vitest";
import type { TerminalOutput } from "../src/providers/provider.js";
import { type TurnStop, turnDurationMs, turnOutcome } from "./turn-outcome.js";

const turn = { turnId: "t1", messageId: "m1", startedAt: "2026-01-01T00:00:00.000Z", settings: {} };
const at = "2026-01-01T00:00:02.500Z";
const running: TurnStop = { reason: null, shuttingDown: false };
const completed: TerminalOutput = { kind: "completed", usage: null, costUsd: 0.5 };
const failed: TerminalOutput = {
  kind: "failed",
  error: { code: "codex_app_server_exited", message: "the app-server exited" },
};
const outcome = (output: TerminalOutput | null, stop: TurnStop) =>
  turnOutcome("c1", turn, output, stop, at);

describe("turn outcome", () => {
  it("given no stop, the provider's own end is recorded, timed from the turn's start", () => {
    expect(outcome(completed, running)).toEqual({
      type: "chat.turn.completed",
      data: {
        chatId: "c1",
        turnId: "t1",
        messageId: "m1",
        durationMs: 2500,
        usage: null,
        costUsd: 0.5,
      },
    });
    expect(outcome(failed, running)).toMatchObject({
      type: "chat.turn.failed",
      data: { error: { code: "codex_app_server_exited" } },
    });
  });

  it("given a turn open at shutdown, it is interrupted by the shutdown whatever the provider said", () => {
    const stop = { reason: "shutdown", shuttingDown: true } as const;
    for (const output of [failed, completed, { kind: "interrupted" } as const, null]) {
      expect(outcome(output, stop)).toEqual({
        type: "chat.turn.interrupted",
        data: { chatId: "c1", turnId: "t1", messageId: "m1", durationMs: 2500, reason: "shutdown" },
      });
    }
    // Even when a user's interrupt was already under way.
    expect(outcome(failed, { reason: "user", shuttingDown: true })).toMatchObject({
      data: { reason: "shutdown" },
    });
  });

  it("given a stop asked for, an interrupted provider ends the turn with the stop's reason", () => {
    expect(outcome({ kind: "interrupted" }, { reason: "user", shuttingDown: false })).toMatchObject(
      { type: "chat.turn.interrupted", data: { reason: "user" } },
    );
    expect(outcome(null, { reason: "engine_restart", shuttingDown: false })).toMatchObject({
      type: "chat.turn.interrupted",
      data: { reason: "engine_restart" },
    });
  });

  it("given the watchdog's stop, the turn fails with watchdog_timeout", () => {
    expect(outcome(null, { reason: "watchdog", shuttingDown: false })).toMatchObject({
      type: "chat.turn.failed",
      data: { error: { code: "watchdog_timeout" } },
    });
  });

  it("given an interrupted provider nobody stopped, the turn fails with interrupted_externally", () => {
    expect(outcome({ kind: "interrupted" }, running)).toMatchObject({
      type: "chat.turn.failed",
      data: { error: { code: "interrupted_externally" } },
    });
  });

  it("a duration is never negative, even with a clock that stepped back", () => {
    expect(turnDurationMs(at, turn.startedAt)).toBe(0);
  });
});
