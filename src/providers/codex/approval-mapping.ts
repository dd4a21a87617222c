import type { ApprovalKind, ApprovalScope } from "../../events/approval-events.js";
import type { ApprovalAsk, ApprovalReply } from "../provider.js";

type Resolution = Pick<ApprovalReply, "decision" | "scope" | "answers">;
type Params = Record<string, unknown>;

interface CodexRequestShape {
  kind: ApprovalKind;
  toolName: string;
  scopes: ApprovalScope[];
}

/** The app-server requests that ask a person (docs/approvals-research.md), by method. */
const shapes: Record<string, CodexRequestShape> = {
  "item/commandExecution/requestApproval": {
    kind: "command",
    toolName: "commandExecution",
    scopes: ["once", "session"],
  },
  "item/fileChange/requestApproval": {
    kind: "file_change",
    toolName: "fileChange",
    scopes: ["once", "session"],
  },
  "item/permissions/requestApproval": {
    kind: "tool",
    toolName: "permissions",
    scopes: ["once", "session"],
  },
  "item/tool/requestUserInput": {
    kind: "question",
    toolName: "requestUserInput",
    scopes: ["once"],
  },
};

export const isCodexApprovalRequest = (method: string) => method in shapes;

/** What the request asks about; a file change's changes come from its `fileChange` item. */
function inputOf(method: string, params: Params, fileChanges: unknown): Params {
  switch (method) {
    case "item/commandExecution/requestApproval":
      return { command: params.command ?? null, cwd: params.cwd ?? null };
    case "item/fileChange/requestApproval":
      return { changes: fileChanges ?? [], grantRoot: params.grantRoot ?? null };
    case "item/permissions/requestApproval":
      return { permissions: params.permissions ?? {}, cwd: params.cwd ?? null };
    default:
      return { questions: params.questions ?? [] };
  }
}

/**
 * The request to record for an app-server request, or null for a method that is not one.
 * `fileChanges`: the `changes` of the `fileChange` item with the request's `itemId`.
 */
export function codexApprovalRequest(
  method: string,
  params: Params,
  approvalId: string,
  fileChanges?: unknown,
): ApprovalAsk | null {
  const shape = shapes[method];
  if (!shape) return null;
  return {
    approvalId,
    kind: shape.kind,
    callId: typeof params.itemId === "string" ? params.itemId : null,
    toolName: shape.toolName,
    input: inputOf(method, params, fileChanges),
    reason: typeof params.reason === "string" ? params.reason : null,
    decisions: ["allow", "deny"],
    scopes: shape.scopes,
    // Codex answers carry a decision only: the command or patch runs as proposed.
    editableInput: false,
  };
}

/** A user-input answer: the API keys answers by question text, Codex by question id. */
function answersById(params: Params, answers: Record<string, string> | null) {
  const questions = Array.isArray(params.questions) ? (params.questions as Params[]) : [];
  const byId: Record<string, { answers: string[] }> = {};
  for (const q of questions) {
    const answer = typeof q.question === "string" ? answers?.[q.question] : undefined;
    if (typeof q.id === "string" && answer !== undefined) byId[q.id] = { answers: [answer] };
  }
  return byId;
}

/**
 * The JSON-RPC `result` answering the request. A deny is `decline`: Codex skips the command or
 * patch and the turn goes on (`cancel` would end the turn; an interrupt is `turn/interrupt`).
 */
export function codexApprovalResponse(method: string, params: Params, resolution: Resolution) {
  const allow = resolution.decision === "allow";
  switch (method) {
    case "item/permissions/requestApproval":
      return {
        permissions: allow ? (params.permissions ?? {}) : {},
        scope: resolution.scope === "session" ? "session" : "turn",
      };
    case "item/tool/requestUserInput":
      return { answers: allow ? answersById(params, resolution.answers) : {} };
    default:
      if (!allow) return { decision: "decline" };
      return { decision: resolution.scope === "session" ? "acceptForSession" : "accept" };
  }
}
