import type { NewEvent } from "../src/events/catalogue.js";
import type { StopReason } from "../src/events/chat-events.js";
import type { TerminalOutput } from "../src/providers/provider.js";
import type { ActiveTurn } from "./chat-context.js";

/**
 * How a turn's end is recorded, from what the provider reported and why it was being stopped.
 * `null` output means the provider never answered the escalation and the engine gave up on it.
 * A watchdog stop is a failure (nobody asked for it); any other stop is an interruption.
 */
export function turnOutcome(
  chatId: string,
  turn: ActiveTurn,
  output: TerminalOutput | null,
  durationMs: number,
): NewEvent {
  const base = { chatId, turnId: turn.turnId, messageId: turn.messageId, durationMs };
  const reason: StopReason | null = turn.stopReason;
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
