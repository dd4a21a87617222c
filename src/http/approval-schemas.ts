import * as v from "valibot";
import { ApprovalDecision, ApprovalScope } from "../events/approval-events.js";
import { Id as RecordedId } from "../events/chat-events.js";
import { Id } from "./schemas.js";

/**
 * An approval id is the engine's, built from the turn and the agent's own call id
 * (`appr_<turnId>.<itemId>` for Codex), so it can be longer than the ids a client chooses: the
 * route takes whatever the request's event could record.
 */
export const ApprovalParams = v.object({ chatId: Id, approvalId: RecordedId });

/** `POST /chats/:chatId/approvals/:approvalId`: the client's answer to one request. */
export const ApprovalAnswerBody = v.strictObject({
  decision: ApprovalDecision,
  /** Told to the agent with a denial, so it can change course. */
  message: v.optional(v.pipe(v.string(), v.minLength(1, "must not be empty"), v.maxLength(20_000))),
  /** The input the tool runs with instead (agents that take it: Claude). */
  updatedInput: v.optional(v.record(v.string(), v.unknown())),
  scope: v.optional(ApprovalScope, "once"),
  /** A question's answers: the chosen label or free text, keyed by the question's text. */
  answers: v.optional(
    v.record(
      v.pipe(v.string(), v.minLength(1), v.maxLength(2_000)),
      v.pipe(v.string(), v.maxLength(20_000)),
    ),
  ),
});
