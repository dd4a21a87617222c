import type { ApprovalReply } from "../provider.js";
import {
  type CanUseTool,
  claudeApprovalId,
  claudeApprovalKind,
  claudeApprovalRequest,
  claudeHookDecision,
  claudePermissionResponse,
} from "./approval-mapping.js";
import type { ClaudeProcess } from "./claude-process.js";
import type { ResultLine } from "./claude-protocol.js";
import { DECISIONS_VARIABLE, type PermissionMode } from "./launch-settings.js";
import type { RunningTurn } from "./running-turn.js";

/**
 * The CLI asks before a tool call (`can_use_tool`): the turn reports the request and the CLI
 * waits for the answer (`answerApproval`). Without an open turn of this process nobody could
 * answer: denied at once.
 */
export function answerPermissionRequest(
  proc: ClaudeProcess,
  requestId: string,
  request: CanUseTool,
  turn: RunningTurn | null,
  afterPlanMode: PermissionMode,
): void {
  if (!turn || turn.ended) {
    proc.answerPermission(requestId, {
      behavior: "deny",
      message: "No turn of this chat is running to ask about this tool call.",
    });
    return;
  }
  const settled = turn.settled;
  if (settled && settled.callId === request.tool_use_id) {
    // A resumed call the CLI asks about again (ExitPlanMode): the recorded answer stands.
    const input = request.input ?? {};
    const response = claudePermissionResponse(
      request.tool_name,
      input,
      settled.reply,
      afterPlanMode,
    );
    proc.answerPermission(requestId, response);
    return;
  }
  if (carriesOutPlan(turn, request, afterPlanMode)) {
    // The plan was approved through the hook, which cannot switch the mode: the CLI left plan
    // mode for `default` and asks. The first such call switches to afterPlanMode.
    proc.answerPermission(requestId, {
      behavior: "allow",
      updatedInput: request.input ?? {},
      updatedPermissions: [{ type: "setMode", mode: afterPlanMode, destination: "session" }],
    });
    return;
  }
  const approvalId = claudeApprovalId(request, requestId);
  turn.permissions.set(approvalId, { requestId, request });
  turn.report({ kind: "approval", ask: claudeApprovalRequest(request, approvalId) });
}

/** Whether a tool call follows a plan approved in this turn, to run in bypassPermissions. */
function carriesOutPlan(turn: RunningTurn, request: CanUseTool, afterPlanMode: PermissionMode) {
  const { settled } = turn;
  return (
    afterPlanMode === "bypassPermissions" &&
    settled?.reply.decision === "allow" &&
    settled.toolName === "ExitPlanMode" &&
    claudeApprovalKind(request.tool_name) === "tool"
  );
}

/** Relays a resolution to the CLI that asked; a request it withdrew (an interrupt) is not asked about. */
export function answerApproval(
  proc: ClaudeProcess | null,
  turn: RunningTurn,
  approvalId: string,
  reply: ApprovalReply,
  afterPlanMode: PermissionMode,
): void {
  const pending = turn.permissions.get(approvalId);
  if (!pending || turn.ended) return;
  turn.permissions.delete(approvalId);
  const { request } = pending;
  const input = request.input ?? {};
  const response = claudePermissionResponse(request.tool_name, input, reply, afterPlanMode);
  proc?.answerPermission(pending.requestId, response);
}

/**
 * The hook deferred a call (a question, a plan): the run ended with it. The turn records the
 * call and reports it as a durable request; the caller closes the process (a new message would
 * drop the call). False when the line names no call.
 */
export function recordDeferred(turn: RunningTurn, line: ResultLine): boolean {
  const call = line.deferred_tool_use;
  if (!call?.id) return false;
  const request: CanUseTool = {
    tool_name: call.name ?? "",
    input: call.input ?? {},
    tool_use_id: call.id,
  };
  const approvalId = claudeApprovalId(request, call.id);
  turn.deferred = {
    approvalId,
    callId: call.id,
    toolName: request.tool_name,
    input: request.input ?? {},
    sessionId: line.session_id ?? turn.request.resumeSessionId,
  };
  turn.userSent = false;
  turn.report({
    kind: "approval",
    ask: { ...claudeApprovalRequest(request, approvalId), durable: true },
  });
  return true;
}

/**
 * The deferred call's answer: recorded as settled (the CLI may ask about the call again), and
 * what the new process resumes with: the session, and the environment its hook reads the
 * decision from. Null when the turn holds no deferred call.
 */
export function settleDeferred(
  turn: RunningTurn,
  reply: ApprovalReply,
): { sessionId: string | null; env: Record<string, string> } | null {
  const call = turn.deferred;
  if (!call) return null;
  turn.deferred = null;
  turn.settled = { callId: call.callId, toolName: call.toolName, reply };
  const decisions = { [call.callId]: claudeHookDecision(call.input, reply) };
  return { sessionId: call.sessionId, env: { [DECISIONS_VARIABLE]: JSON.stringify(decisions) } };
}
