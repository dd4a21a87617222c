import type { ApprovalKind } from "../events/approval-events.js";
import type { EventData } from "../events/catalogue.js";
import { denyMessage } from "./deny-message.js";

type Requested = EventData<"chat.approval.requested">;
type Resolution = Pick<
  EventData<"chat.approval.resolved">,
  "decision" | "by" | "message" | "updatedInput" | "scope" | "answers"
>;
type ToolInput = Record<string, unknown>;

/** The engine's ids for a request: who asks, in which turn, until when. */
export interface RequestContext {
  approvalId: string;
  chatId: string;
  turnId: string;
  expiresAt: string | null;
}

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

/**
 * `chat.approval.requested` for a Claude `can_use_tool` (or a deferred call, which has the same
 * name, input and id). Only tool calls take a session rule and an edited input; a question is
 * answered with `answers`, a plan with allow or deny.
 */
export function claudeApprovalRequest(request: CanUseTool, context: RequestContext): Requested {
  const kind = claudeApprovalKind(request.tool_name);
  const input = request.input ?? {};
  return {
    ...context,
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
function allowedInput(input: ToolInput, resolution: Resolution): ToolInput {
  if (resolution.answers) return { ...input, answers: resolution.answers };
  return resolution.updatedInput ?? input;
}

/**
 * The `response` of the `control_response` answering a `can_use_tool`. A session scope is a
 * session rule for the tool (not the CLI's own suggestion, which may switch the whole mode).
 */
export function claudePermissionResponse(
  toolName: string,
  input: ToolInput,
  resolution: Resolution,
) {
  if (resolution.decision === "deny") {
    return { behavior: "deny" as const, message: denyMessage(resolution) };
  }
  return {
    behavior: "allow" as const,
    updatedInput: allowedInput(input, resolution),
    ...(resolution.scope === "session"
      ? {
          updatedPermissions: [
            { type: "addRules", rules: [{ toolName }], behavior: "allow", destination: "session" },
          ],
        }
      : {}),
  };
}

/** What the PreToolUse hook prints for a deferred call once its answer is known. */
export function claudeHookDecision(input: ToolInput, resolution: Resolution) {
  const decision =
    resolution.decision === "deny"
      ? { permissionDecision: "deny", permissionDecisionReason: denyMessage(resolution) }
      : { permissionDecision: "allow", updatedInput: allowedInput(input, resolution) };
  return { hookSpecificOutput: { hookEventName: "PreToolUse", ...decision } };
}
