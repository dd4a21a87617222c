import * as v from "valibot";
import type { ApprovalReply } from "../provider.js";
import { codexApprovalRequest, codexApprovalResponse } from "./approval-mapping.js";
import type { CodexProcess } from "./codex-process.js";
import { ThreadScoped } from "./codex-protocol.js";
import type { RpcServerRequest } from "./json-rpc-connection.js";
import type { RunningTurn } from "./running-turn.js";

type Params = Record<string, unknown>;

/**
 * A request of the app-server: an approval (command, file change, permissions, user input)
 * becomes the turn's approval request and waits for its answer (`answerApproval`); without an
 * open turn nobody could answer it, so it is declined. Other methods are refused.
 */
export function answerServerRequest(
  server: CodexProcess,
  request: RpcServerRequest,
  turnOf: (threadId: string) => RunningTurn | undefined,
): void {
  const params = (request.params ?? {}) as Params;
  const scoped = v.safeParse(ThreadScoped, params);
  const turn = scoped.success ? turnOf(scoped.output.threadId) : undefined;
  const itemId = typeof params.itemId === "string" ? params.itemId : String(request.id);
  const approvalId = `appr_${turn?.request.turnId ?? "none"}.${itemId}`;
  const ask = codexApprovalRequest(
    request.method,
    params,
    approvalId,
    turn?.fileChanges.get(itemId),
  );
  if (!ask) {
    server.connection.respondError(request.id, {
      code: -32601,
      message: `replicas engine does not handle ${request.method}`,
    });
    return;
  }
  if (turn?.state !== "open") {
    const decline = { decision: "deny", scope: "once", answers: null } as const;
    server.connection.respond(request.id, codexApprovalResponse(request.method, params, decline));
    return;
  }
  turn.approvals.set(approvalId, { server, id: request.id, method: request.method, params });
  turn.report({ kind: "approval", ask });
}

/** Relays a resolution to the app-server that asked; a withdrawn request is not answered. */
export function answerApproval(turn: RunningTurn, approvalId: string, reply: ApprovalReply): void {
  const pending = turn.approvals.get(approvalId);
  if (!pending || turn.state !== "open" || !pending.server.alive) return;
  turn.approvals.delete(approvalId);
  const result = codexApprovalResponse(pending.method, pending.params, reply);
  pending.server.connection.respond(pending.id, result);
}
