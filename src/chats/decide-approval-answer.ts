import { isDeepStrictEqual } from "node:util";
import type { ApprovalResolution, ChatApproval } from "../../projections/chat-approvals.js";
import type { ApprovalDecision, ApprovalScope } from "../events/approval-events.js";
import type { EventData } from "../events/catalogue.js";

/** A client's answer to one request, as the answer route parsed it (src/http/approval-schemas.ts). */
export interface ApprovalAnswer {
  decision: ApprovalDecision;
  message?: string;
  updatedInput?: Record<string, unknown>;
  scope: ApprovalScope;
  answers?: Record<string, string>;
}

type Resolved = EventData<"chat.approval.resolved">;

/** What the answer route does with one answer; `status` is the HTTP status it answers with. */
export type ApprovalAnswerOutcome =
  | { outcome: "resolve"; status: 202; resolved: Resolved }
  /** The client sent the answer already recorded: nothing new is recorded. */
  | { outcome: "unchanged"; status: 200; resolution: ApprovalResolution }
  /** Resolved otherwise (another answer, or by the engine): `approval_resolved`. */
  | { outcome: "conflict"; status: 409; resolution: ApprovalResolution }
  | { outcome: "not_found"; status: 404 }
  /** The answer does not fit the request (a decision or scope it does not offer...). */
  | { outcome: "invalid"; status: 400; message: string };

/** The part of a resolution an answer names, with the defaults filled in. */
function answerFields(answer: ApprovalAnswer) {
  return {
    decision: answer.decision,
    message: answer.message ?? null,
    updatedInput: answer.updatedInput ?? null,
    scope: answer.scope,
    answers: answer.answers ?? null,
  };
}

/** The question texts of a question request (Claude and Codex both send `questions[].question`). */
function questionTexts(input: Record<string, unknown>): string[] {
  const questions = Array.isArray(input.questions) ? input.questions : [];
  return questions
    .map((q) => (q as { question?: unknown } | null)?.question)
    .filter((q): q is string => typeof q === "string");
}

/** Why an answer does not fit a pending request, or null when it does. */
function misfit(approval: ChatApproval, answer: ApprovalAnswer): string | null {
  const { decision, scope } = answer;
  if (!approval.decisions.includes(decision)) {
    return `this request takes ${approval.decisions.map((d) => `"${d}"`).join(" or ")}, not "${decision}"`;
  }
  if (!approval.scopes.includes(scope)) {
    return `scope "${scope}" is not offered for this request (offered: ${approval.scopes.join(", ")})`;
  }
  if (answer.message !== undefined && decision !== "deny") {
    return "message goes with a deny (it tells the agent why)";
  }
  if (answer.updatedInput !== undefined) {
    if (decision !== "allow") return "updatedInput goes with an allow";
    if (!approval.editableInput) return "this agent does not take an updatedInput for this request";
  }
  if (scope === "session" && decision !== "allow") return 'scope "session" goes with an allow';
  if (answer.answers !== undefined) {
    if (approval.kind !== "question")
      return `answers go with a question, this request is a ${approval.kind}`;
    if (decision !== "allow") return "answers go with an allow";
    const known = questionTexts(approval.input);
    const unknown = Object.keys(answer.answers).find((q) => !known.includes(q));
    if (unknown !== undefined) {
      return `answers: "${unknown}" is not one of the request's questions (${known.map((q) => `"${q}"`).join(", ")})`;
    }
  }
  return null;
}

/**
 * The answer route's decision, pure: a pending request takes a fitting answer once; the same
 * answer again is a no-op; any other answer to a resolved request conflicts, and so does every
 * answer to a request the engine resolved itself (timeout, interrupt, delete, shutdown, restart).
 */
export function decideApprovalAnswer(
  approval: ChatApproval | undefined,
  answer: ApprovalAnswer,
): ApprovalAnswerOutcome {
  if (!approval) return { outcome: "not_found", status: 404 };
  const fields = answerFields(answer);
  const { resolution } = approval;
  if (resolution) {
    const { resolvedAt: _at, by, ...recorded } = resolution;
    return by === "client" && isDeepStrictEqual(recorded, fields)
      ? { outcome: "unchanged", status: 200, resolution }
      : { outcome: "conflict", status: 409, resolution };
  }
  const problem = misfit(approval, answer);
  if (problem) return { outcome: "invalid", status: 400, message: problem };
  return {
    outcome: "resolve",
    status: 202,
    resolved: {
      approvalId: approval.approvalId,
      chatId: approval.chatId,
      turnId: approval.turnId,
      by: "client",
      ...fields,
    },
  };
}
