import type { TurnError } from "../../events/chat-events.js";
import type { CodexTurnError } from "./codex-protocol.js";

/** Error codes the adapter itself raises (the rest come from `codexErrorCode`). */
export const codexErrorCodes = {
  notFound: "codex_not_found",
  spawnFailed: "codex_spawn_failed",
  appServerExited: "codex_app_server_exited",
  protocol: "codex_protocol_error",
  threadBusy: "codex_thread_busy",
  turnAlreadyRunning: "turn_already_running",
} as const;

function snakeCase(value: string): string {
  return value.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/**
 * A stable code from Codex's `codexErrorInfo`: `"unauthorized"` or an HTTP 401 become
 * `codex_unauthorized`, other HTTP failures `codex_http_error`, named kinds
 * `codex_<snake_case>` (e.g. `codex_context_window_exceeded`).
 */
export function codexErrorCode(info: unknown): { code: string; httpStatusCode: number | null } {
  if (typeof info === "string") {
    return {
      code: info === "unauthorized" ? "codex_unauthorized" : `codex_${snakeCase(info)}`,
      httpStatusCode: null,
    };
  }
  if (typeof info === "object" && info !== null) {
    for (const value of Object.values(info)) {
      const status = (value as { httpStatusCode?: unknown } | null)?.httpStatusCode;
      if (typeof status === "number") {
        return {
          code: status === 401 ? "codex_unauthorized" : "codex_http_error",
          httpStatusCode: status,
        };
      }
    }
  }
  return { code: "codex_turn_failed", httpStatusCode: null };
}

/** The TurnError of a `turn/completed` with status `failed`. */
export function failedTurnError(error: CodexTurnError | null): TurnError {
  if (!error) return { code: "codex_turn_failed", message: "Codex reported the turn as failed" };
  const { code, httpStatusCode } = codexErrorCode(error.codexErrorInfo);
  const details: Record<string, unknown> = {};
  if (httpStatusCode !== null) details.httpStatusCode = httpStatusCode;
  if (error.additionalDetails) details.additionalDetails = error.additionalDetails;
  if (error.codexErrorInfo !== undefined && error.codexErrorInfo !== null) {
    details.codexErrorInfo = error.codexErrorInfo;
  }
  return { code, message: error.message, details };
}
