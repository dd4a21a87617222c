import { Hono } from "hono";
import type { ChatError, ChatRegistry } from "../chats/chat-registry.js";
import { type ReadSide, snapshotAt } from "../read-models/read-side.js";
import { ApiError } from "./api-error.js";
import { ApprovalAnswerBody, ApprovalParams } from "./approval-schemas.js";
import { parseJsonBody, parseParams } from "./parse-input.js";

export interface ApprovalRouteDeps {
  readSide: ReadSide;
  registry: ChatRegistry;
  fail: (error: ChatError) => never;
}

/**
 * `POST /chats/:chatId/approvals/:approvalId`: the client's answer to an agent's request.
 * 202 with the resolution it recorded; 200 when the same answer was recorded already; 409
 * `approval_resolved` when the request was resolved otherwise; 404 for an unknown request.
 */
export function approvalRoutes({ readSide, registry, fail }: ApprovalRouteDeps) {
  return new Hono().post("/chats/:chatId/approvals/:approvalId", async (c) => {
    const { chatId, approvalId } = parseParams(c, ApprovalParams);
    const answer = await parseJsonBody(c, ApprovalAnswerBody);
    const result = registry.answer(chatId, approvalId, answer);
    if (!result.ok) return fail(result.error);
    const outcome = result.value;
    const at = snapshotAt(readSide);
    switch (outcome.outcome) {
      case "not_found":
        throw new ApiError(
          404,
          "approval_not_found",
          `chat "${chatId}" has no approval request "${approvalId}"`,
        );
      case "invalid":
        throw new ApiError(400, "invalid_answer", outcome.message);
      case "conflict":
        throw new ApiError(
          409,
          "approval_resolved",
          `approval request "${approvalId}" was already resolved (${outcome.resolution.decision} by ${outcome.resolution.by}); it takes no other answer`,
          { resolution: outcome.resolution },
        );
      case "unchanged":
        return c.json({ ...at, approvalId, resolution: outcome.resolution }, 200);
      case "resolve": {
        const { approvalId: _a, chatId: _c, turnId, ...resolution } = outcome.resolved;
        return c.json({ ...at, approvalId, turnId, resolution }, 202);
      }
    }
  });
}
