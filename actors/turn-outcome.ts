import type { NewEvent } from "../src/events/catalogue.js";
import type { StopReason } from "../src/events/chat-events.js";
import type { ChatSettings } from "../src/events/chat-settings.js";
import type { TerminalOutput } from "../src/providers/provider.js";

/** The open turn, as the chat's state knows it. */
export interface OpenTurn {
  turnId: string;
  messageId: string;
  startedAt: string;
  /**
   * The message's own settings (its `chat.turn.started`'s): a turn resumed after a restart (a
   * durable request answered) runs with them again, not only with the chat's.
   */
  settings: ChatSettings;
}

/** Why the open turn is being stopped, which only the machine knows. */
export interface TurnStop {
  /** Set once a stop was asked for (the first reason wins). */
  reason: StopReason | null;
  /** The engine is shutting down. */
  shuttingDown: boolean;
}

/**
 * A turn's duration, measured with the clock that stamps the log's events (`recordedAt`): the
 * machine and boot recovery both measure with it, from the turn's recorded start.
 */
export const turnDurationMs = (startedAt: string, at: string): number =>
  Math.max(0, Date.parse(at) - Date.parse(startedAt));

/**
 * How a turn's end is recorded, from what the provider reported and why it was being stopped.
 * `null` output means the provider never answered (the engine gave up on it, or the chat was
 * deleted). A turn still open at shutdown is interrupted by the shutdown, whatever the provider
 * reported first: a process-group signal may have reached the agent before the engine asked it
 * to stop. A watchdog stop is a failure (nobody asked for it); any other stop is an interruption.
 */
export function turnOutcome(
  chatId: string,
  turn: OpenTurn,
  output: TerminalOutput | null,
  stop: TurnStop,
  at: string,
): NewEvent {
  const base = {
    chatId,
    turnId: turn.turnId,
    messageId: turn.messageId,
    durationMs: turnDurationMs(turn.startedAt, at),
  };
  if (stop.shuttingDown)
    return { type: "chat.turn.interrupted", data: { ...base, reason: "shutdown" } };
  const reason = stop.reason;
  if (output?.kind === "completed") {
    return {
      type: "chat.turn.completed",
      data: { ...base, usage: output.usage, costUsd: output.costUsd },
    };
  }
  if (output?.kind === "failed")
    return { type: "chat.turn.failed", data: { ...base, error: output.error } };
  if (reason === "watchdog") {
    return {
      type: "chat.turn.failed",
      data: {
        ...base,
        error: {
          code: "watchdog_timeout",
          message: "the agent produced no output for too long and its turn was stopped",
        },
      },
    };
  }
  if (reason) return { type: "chat.turn.interrupted", data: { ...base, reason } };
  return {
    type: "chat.turn.failed",
    data: {
      ...base,
      error: {
        code: "interrupted_externally",
        message: "the agent's turn was interrupted from outside the engine",
      },
    },
  };
}
