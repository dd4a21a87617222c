import type { TurnError } from "../../events/chat-events.js";
import type { TerminalOutput } from "../provider.js";

/**
 * The codes of `chat.turn.failed` that the adapters raise: one code per failure, whichever
 * agent it happened to. docs/api.md lists them with what to do about each.
 */
export const providerErrorCodes = {
  /** The agent's binary is missing or not executable (checked before spawning). */
  notFound: "provider_not_found",
  /** The process started but did not get ready (Codex's initialize handshake). */
  spawnFailed: "provider_spawn_failed",
  /** The agent process died before the turn ended. */
  processExited: "provider_process_exited",
  /** The agent wrote a line longer than the line limit: its stream cannot be trusted. */
  lineTooLong: "provider_line_too_long",
  /** The model API refused the credentials, or there are none: configure them. */
  authFailed: "provider_auth_failed",
  /** The model API could not be reached (DNS, refused connection, no network). */
  unreachable: "provider_unreachable",
  /** The model API answered with an error (other than credentials). */
  apiError: "provider_api_error",
  /** The agent stopped at its own turn limit. */
  maxTurns: "provider_max_turns",
  /** The agent refused or did not answer a protocol request. */
  protocol: "provider_protocol_error",
  /** The chat's previous turn is still running inside the agent and could not be stopped. */
  sessionBusy: "provider_session_busy",
  /** A turn was started while the chat's previous turn is still open. */
  turnInProgress: "turn_in_progress",
  /** The chat's working directory does not exist. */
  cwdNotFound: "cwd_not_found",
  /** An attached file is gone since its message was queued. */
  attachmentUnreadable: "attachment_unreadable",
  /** Anything else: the agent reported an error, or the adapter itself failed. */
  error: "provider_error",
} as const;

type ProviderErrorCode = (typeof providerErrorCodes)[keyof typeof providerErrorCodes];

export function turnError(
  code: string,
  message: string,
  details?: Record<string, unknown>,
): TurnError {
  return details ? { code, message, details } : { code, message };
}

export function failed(
  code: ProviderErrorCode,
  message: string,
  details?: Record<string, unknown>,
): TerminalOutput {
  return { kind: "failed", error: turnError(code, message, details) };
}
