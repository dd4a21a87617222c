import type { ApprovalResolver } from "../../events/approval-events.js";

/**
 * What the agent is told when a request is denied without a message of the client's: a reason
 * it can act on. Every resolver but the client denies (docs/events.md).
 */
const engineWords: Record<ApprovalResolver, string> = {
  client: "The user denied this request.",
  timeout:
    "Nobody answered this request in time, so it was denied. Continue without it, or say what you need.",
  interrupt: "The user interrupted the turn before answering this request.",
  delete: "The chat was deleted before this request was answered.",
  shutdown: "The engine stopped before this request was answered.",
  engine_restart: "The engine restarted before this request was answered.",
};

export function denyMessage(resolution: { by: ApprovalResolver; message: string | null }): string {
  return resolution.message ?? engineWords[resolution.by];
}
