import * as v from "valibot";
import type { CodexProcess } from "./codex-process.js";
import { ThreadScoped } from "./codex-protocol.js";
import type { RpcServerRequest } from "./json-rpc-connection.js";
import type { RunningTurn } from "./running-turn.js";

/** Approval requests we answer `decline`: nobody is there to approve inside the VM. */
const approvalRequests = new Set([
  "item/commandExecution/requestApproval",
  "item/fileChange/requestApproval",
]);

/** Answers a request of the app-server: approvals declined (with a notice), the rest refused. */
export function answerServerRequest(
  server: CodexProcess,
  request: RpcServerRequest,
  turnOf: (threadId: string) => RunningTurn | undefined,
): void {
  if (!approvalRequests.has(request.method)) {
    server.connection.respondError(request.id, {
      code: -32601,
      message: `replicas engine does not handle ${request.method}`,
    });
    return;
  }
  server.connection.respond(request.id, { decision: "decline" });
  const scoped = v.safeParse(ThreadScoped, request.params);
  const turn = scoped.success ? turnOf(scoped.output.threadId) : undefined;
  turn?.report({
    kind: "item",
    itemId: `${turn.request.turnId}:approval:${String(request.id)}`,
    item: {
      type: "notice",
      level: "warning",
      message: `Codex asked for approval (${request.method}); declined: approvals are not supported, use approvalPolicy "never".`,
    },
  });
}
