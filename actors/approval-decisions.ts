import type { ApprovalResolver } from "../src/events/approval-events.js";
import type { EventData } from "../src/events/catalogue.js";
import type { StopReason } from "../src/events/chat-events.js";
import type { ApprovalAsk } from "../src/providers/provider.js";
import type { ChatRecord, ChatState, PendingApproval } from "./chat-state.js";
import type { TurnStop } from "./turn-outcome.js";

/**
 * What a chat records about its open turn's approval requests: a new request, the client's
 * answer, a timeout, the engine's deny when the turn is stopped. `decide` (chat-decider.ts)
 * records through these; boot recovery (src/chats/recover-chats.ts) asks `waitsDurably`.
 */

/** Who resolves the pending requests when the turn is stopped for this reason. */
export const stopResolver: Record<StopReason, ApprovalResolver> = {
  user: "interrupt",
  watchdog: "interrupt",
  chat_deleted: "delete",
  shutdown: "shutdown",
  engine_restart: "engine_restart",
};

/** Who resolves the pending requests when the open turn ends while being stopped like this. */
export const endResolver = (stop: TurnStop): ApprovalResolver =>
  stop.shuttingDown ? "shutdown" : stopResolver[stop.reason ?? "user"];

/** The engine resolves requests on the client's behalf: always a deny, with the engine's words. */
export function resolveApprovals(
  state: ChatState,
  by: ApprovalResolver,
  approvals: PendingApproval[] = state.pendingApprovals,
): ChatRecord[] {
  return approvals.map(({ approvalId, chatId, turnId }) => ({
    type: "chat.approval.resolved",
    data: {
      approvalId,
      chatId,
      turnId,
      decision: "deny",
      by,
      message: null,
      updatedInput: null,
      scope: "once",
      answers: null,
    },
  }));
}

/**
 * A request of the open turn, once; it expires after the chat's timeout, or the engine's
 * (`defaultTimeoutMs`) when the chat's settings do not say.
 */
export function requestApproval(
  state: ChatState,
  ask: ApprovalAsk,
  at: string,
  defaultTimeoutMs: number,
): ChatRecord[] {
  const turn = state.currentTurn;
  if (!turn || state.pendingApprovals.some((a) => a.approvalId === ask.approvalId)) return [];
  const timeoutMs = state.settings.approvalTimeoutMs ?? defaultTimeoutMs;
  return [
    {
      type: "chat.approval.requested",
      data: {
        ...ask,
        chatId: state.chatId,
        turnId: turn.turnId,
        expiresAt: new Date(Date.parse(at) + timeoutMs).toISOString(),
      },
    },
  ];
}

/** Only a pending request takes the answer; the answer route told the client otherwise. */
export const answerApproval = (
  state: ChatState,
  resolved: EventData<"chat.approval.resolved">,
): ChatRecord[] =>
  state.pendingApprovals.some((a) => a.approvalId === resolved.approvalId)
    ? [{ type: "chat.approval.resolved", data: resolved }]
    : [];

/** The requests whose time is up at `at` are denied, by timeout. */
export const expireApprovals = (state: ChatState, at: string): ChatRecord[] =>
  resolveApprovals(
    state,
    "timeout",
    state.pendingApprovals.filter((a) => a.expiresAt !== null && a.expiresAt <= at),
  );

/** The open turn waits only on requests that outlive the agent's process (see `durable`). */
export const waitsDurably = (state: ChatState): boolean =>
  state.currentTurn !== null &&
  state.pendingApprovals.length > 0 &&
  state.pendingApprovals.every((a) => a.durable === true);

/** When the oldest-expiring pending request times out; null when none is pending. */
export function nextExpiry(state: ChatState): string | null {
  const times = state.pendingApprovals.flatMap((a) => (a.expiresAt ? [a.expiresAt] : []));
  return times.length ? times.reduce((a, b) => (a < b ? a : b)) : null;
}
