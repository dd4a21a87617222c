import type { ApprovalKind } from "../../events/approval-events.js";
import type { ApprovalAsk, ApprovalReply } from "../provider.js";
import { denyMessage } from "../toolkit/deny-message.js";

type ToolInput = Record<string, unknown>;

/** The `request` of a `can_use_tool` control request, as far as approvals read it. */
export interface CanUseTool {
  tool_name: string;
  input?: ToolInput;
  tool_use_id?: string;
}

/** AskUserQuestion and ExitPlanMode ask in every mode (even bypassPermissions): they need a person. */
export function claudeApprovalKind(toolName: string): ApprovalKind {
  if (toolName === "AskUserQuestion") return "question";
  if (toolName === "ExitPlanMode") return "plan";
  return "tool";
}

/** The approval id of a call: the model's call id (unique in the session), else the request's. */
export const claudeApprovalId = (request: CanUseTool, requestId: string) =>
  `appr_${request.tool_use_id ?? requestId}`;

/**
 * The request to record for a Claude `can_use_tool` (or a deferred call, which has the same
 * name, input and id). Only tool calls take a session rule and an edited input; a question is
 * answered with `answers`, a plan with allow or deny.
 */
export function claudeApprovalRequest(request: CanUseTool, approvalId: string): ApprovalAsk {
  const kind = claudeApprovalKind(request.tool_name);
  const input = request.input ?? {};
  return {
    approvalId,
    kind,
    callId: request.tool_use_id ?? null,
    toolName: request.tool_name,
    input,
    // Tools that explain themselves (Bash, Task) carry the model's words in `description`.
    reason: typeof input.description === "string" ? input.description : null,
    decisions: ["allow", "deny"],
    scopes: kind === "tool" ? ["once", "session"] : ["once"],
    editableInput: kind === "tool",
  };
}

/** The input the tool runs with: the client's edit, the question's answers, or the agent's own. */
function allowedInput(input: ToolInput, resolution: ApprovalReply): ToolInput {
  if (resolution.answers) return { ...input, answers: resolution.answers };
  return resolution.updatedInput ?? input;
}

/** What the allow changes in the session: a rule for the tool, or the mode a plan is carried out in. */
function updatedPermissions(toolName: string, resolution: ApprovalReply, afterPlan: string | null) {
  if (resolution.scope === "session") {
    return [{ type: "addRules", rules: [{ toolName }], behavior: "allow", destination: "session" }];
  }
  if (toolName === "ExitPlanMode" && afterPlan) {
    return [{ type: "setMode", mode: afterPlan, destination: "session" }];
  }
  return null;
}

/**
 * The `response` of the `control_response` answering a `can_use_tool`. A session scope is a
 * session rule for the tool (not the CLI's own suggestion, which may switch the whole mode).
 * An approved plan is carried out in `afterPlan` (the CLI would switch to `default` by itself,
 * where every edit asks again); a denied one stays in plan mode.
 */
export function claudePermissionResponse(
  toolName: string,
  input: ToolInput,
  resolution: ApprovalReply,
  afterPlan: string | null = null,
) {
  if (resolution.decision === "deny") {
    return { behavior: "deny" as const, message: denyMessage(resolution) };
  }
  const permissions = updatedPermissions(toolName, resolution, afterPlan);
  return {
    behavior: "allow" as const,
    updatedInput: allowedInput(input, resolution),
    ...(permissions ? { updatedPermissions: permissions } : {}),
  };
}

/** What the PreToolUse hook prints for a deferred call once its answer is known. */
export function claudeHookDecision(input: ToolInput, resolution: ApprovalReply) {
  const decision =
    resolution.decision === "deny"
      ? { permissionDecision: "deny", permissionDecisionReason: denyMessage(resolution) }
      : { permissionDecision: "allow", updatedInput: allowedInput(input, resolution) };
  return { hookSpecificOutput: { hookEventName: "PreToolUse", ...decision } };
}
