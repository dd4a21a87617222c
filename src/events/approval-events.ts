import * as v from "valibot";
import { Id } from "./chat-events.js";
import { defineEvent } from "./define-event.js";

/**
 * What an agent asks about: a tool call (Claude `can_use_tool`), a shell command or a file change
 * (Codex), a question for the user (Claude `AskUserQuestion`, Codex `requestUserInput`), or a plan
 * to review (Claude `ExitPlanMode`).
 */
export const ApprovalKind = v.picklist(["tool", "command", "file_change", "question", "plan"]);
export type ApprovalKind = v.InferOutput<typeof ApprovalKind>;

export const ApprovalDecision = v.picklist(["allow", "deny"]);
export type ApprovalDecision = v.InferOutput<typeof ApprovalDecision>;

/** `session`: the same tool (Claude) or command (Codex) is allowed for the rest of the chat. */
export const ApprovalScope = v.picklist(["once", "session"]);
export type ApprovalScope = v.InferOutput<typeof ApprovalScope>;

/** Who ended the request: the client's answer, or the engine on the client's behalf (a deny). */
export const ApprovalResolver = v.picklist([
  "client",
  "timeout",
  "interrupt",
  "delete",
  "shutdown",
  "engine_restart",
]);
export type ApprovalResolver = v.InferOutput<typeof ApprovalResolver>;

/** A question's answers: the chosen label (or free text), keyed by the question's text. */
export const ApprovalAnswers = v.record(v.string(), v.string());
export type ApprovalAnswers = v.InferOutput<typeof ApprovalAnswers>;

const ToolInput = v.record(v.string(), v.unknown());

export const chatApprovalRequested = defineEvent(
  "chat.approval.requested",
  v.object({
    approvalId: Id,
    chatId: Id,
    turnId: Id,
    kind: ApprovalKind,
    /** The agent's own id of the call it asks about (Claude tool_use_id, Codex itemId). */
    callId: v.nullable(Id),
    toolName: v.string(),
    /** The call's input: command and cwd, file changes, questions and options, plan text. */
    input: ToolInput,
    /** The agent's explanation, when it gives one. */
    reason: v.nullable(v.string()),
    /** The decisions and scopes the agent accepts for this request. */
    decisions: v.pipe(v.array(ApprovalDecision), v.minLength(1)),
    scopes: v.pipe(v.array(ApprovalScope), v.minLength(1)),
    /** Whether an `updatedInput` in the answer reaches the agent. */
    editableInput: v.boolean(),
    /**
     * The request outlives the agent's process (Claude: a deferred call, resumed with the
     * answer): an engine restart keeps it pending and its turn open.
     */
    durable: v.optional(v.boolean()),
    /** When the engine resolves it `timeout` if nobody answers; null: never. */
    expiresAt: v.nullable(v.pipe(v.string(), v.isoTimestamp())),
  }),
);

export const chatApprovalResolved = defineEvent(
  "chat.approval.resolved",
  v.object({
    approvalId: Id,
    chatId: Id,
    turnId: Id,
    decision: ApprovalDecision,
    by: ApprovalResolver,
    /** Goes back to the agent with a denial (the engine's own text when it resolves). */
    message: v.nullable(v.string()),
    updatedInput: v.nullable(ToolInput),
    scope: ApprovalScope,
    answers: v.nullable(ApprovalAnswers),
  }),
);

export const approvalEvents = [chatApprovalRequested, chatApprovalResolved] as const;
