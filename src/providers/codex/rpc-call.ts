import { setTimeout as sleep } from "node:timers/promises";
import type { TurnError } from "../../events/chat-events.js";
import type { ComponentLogger } from "../../logger.js";
import { providerErrorCodes, turnError } from "../toolkit/error-codes.js";
import type { CodexProcess } from "./codex-process.js";
import type { RpcResult } from "./json-rpc-connection.js";

/** A JSON-RPC call that answers within `timeoutMs`, or fails. */
export async function callWithin(
  server: CodexProcess,
  timeoutMs: number,
  method: string,
  params: unknown,
): Promise<RpcResult> {
  const timeout = new AbortController();
  const reply = await Promise.race([
    server.connection.request(method, params),
    sleep(timeoutMs, undefined, { signal: timeout.signal }).then(
      (): RpcResult => ({
        ok: false,
        error: { code: -1, message: `no reply within ${timeoutMs} ms` },
      }),
      (): RpcResult => ({ ok: false, error: { code: -1, message: "aborted" } }),
    ),
  ]);
  timeout.abort();
  return reply;
}

/** Why a call failed: the process died under it, or Codex refused or did not answer. */
export function rpcError(server: CodexProcess, method: string, reply: RpcResult | null): TurnError {
  if (!server.alive) {
    return turnError(providerErrorCodes.processExited, `codex app-server exited during ${method}`);
  }
  const message = reply && !reply.ok ? reply.error.message : "unexpected reply";
  return turnError(
    providerErrorCodes.protocol,
    `codex ${method} failed: ${message}`,
    reply && !reply.ok ? { rpcCode: reply.error.code } : {},
  );
}

/**
 * `turn/interrupt`, then `thread/backgroundTerminals/clean`: Codex leaves the interrupted
 * command running as a background terminal, which must stop too. Refusals are only logged.
 */
export async function interruptInCodex(
  call: (method: string, params: unknown) => Promise<RpcResult>,
  turn: { threadId: string; turnId: string; logger: ComponentLogger },
): Promise<void> {
  const { threadId, turnId, logger } = turn;
  const reply = await call("turn/interrupt", { threadId, turnId });
  if (!reply.ok) logger.debug({ error: reply.error }, "codex turn/interrupt refused");
  const cleaned = await call("thread/backgroundTerminals/clean", { threadId });
  if (!cleaned.ok)
    logger.debug({ error: cleaned.error }, "codex backgroundTerminals/clean refused");
}
