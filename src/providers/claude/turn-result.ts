import type { TurnUsage } from "../../events/chat-events.js";
import type { TerminalOutput } from "../provider.js";
import { failed, providerErrorCodes } from "../toolkit/error-codes.js";
import type { ResultLine, ResultUsage } from "./claude-protocol.js";

function tokens(value: number | undefined): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

export function usageOf(usage: ResultUsage | undefined): TurnUsage | null {
  if (!usage) return null;
  return {
    inputTokens: tokens(usage.input_tokens),
    outputTokens: tokens(usage.output_tokens),
    cacheReadTokens: tokens(usage.cache_read_input_tokens),
    cacheWriteTokens: tokens(usage.cache_creation_input_tokens),
    reasoningTokens: tokens(usage.output_tokens_details?.thinking_tokens),
  };
}

/** What to configure when Claude Code has no usable credentials (docs/claude.md). */
const CLAUDE_AUTH_HINT =
  "Configure Claude Code's credentials: set ANTHROPIC_API_KEY, or log in so that ~/.claude/.credentials.json exists (CLAUDE_CONFIG_DIR moves it), or use Bedrock (CLAUDE_CODE_USE_BEDROCK=1 with AWS credentials).";

/** The CLI's own words when it has no credentials, or they are refused. */
const NOT_LOGGED_IN =
  /Not logged in|Please run \/login|Invalid API key|OAuth token (has expired|revoked)/i;
/** The model API could not be reached at all (after the CLI's retries). */
const UNREACHABLE =
  /Connection error|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|fetch failed|Unable to connect/i;

function apiErrorMessage(status: number, text: string): string {
  if (status === 403) return `The model API refused access (HTTP 403): ${text}`;
  if (status === 429) return `The model API rate limit was hit (HTTP 429): ${text}`;
  return `The model API failed (HTTP ${status}): ${text}`;
}

/**
 * The `result` line that ends a turn → its one terminal output. `interruptRequested` tells an
 * abort we asked for (interrupted) from one we did not (failed).
 */
export function terminalFromResult(line: ResultLine, interruptRequested: boolean): TerminalOutput {
  const usage = usageOf(line.usage);
  const costUsd = typeof line.total_cost_usd === "number" ? line.total_cost_usd : null;
  if (!line.is_error && line.subtype === "success") return { kind: "completed", usage, costUsd };

  const aborted = line.terminal_reason?.startsWith("aborted") === true;
  if (interruptRequested && (aborted || line.subtype === "error_during_execution")) {
    return { kind: "interrupted" };
  }

  const text = line.result || line.errors?.join("; ") || "the agent reported an error";
  const details: Record<string, unknown> = {
    subtype: line.subtype ?? null,
    terminal_reason: line.terminal_reason ?? null,
  };
  if (typeof line.api_error_status === "number") {
    details.api_error_status = line.api_error_status;
    details.api_error_type = line.api_error_type ?? null;
  }
  if (line.api_error_status === 401 || NOT_LOGGED_IN.test(text)) {
    const status = line.api_error_status === 401 ? "HTTP 401: " : "";
    const message = `The model API has no usable credentials (${status}${text}). ${CLAUDE_AUTH_HINT}`;
    return failed(providerErrorCodes.authFailed, message, details);
  }
  if (typeof line.api_error_status === "number") {
    const message = apiErrorMessage(line.api_error_status, text);
    return failed(providerErrorCodes.apiError, message, details);
  }
  if (line.terminal_reason === "api_error" && UNREACHABLE.test(text)) {
    const message = `The model API could not be reached (${text}). Check the network and ANTHROPIC_BASE_URL.`;
    return failed(providerErrorCodes.unreachable, message, details);
  }
  if (line.terminal_reason === "api_error") {
    return failed(providerErrorCodes.apiError, text, details);
  }
  if (line.subtype === "error_max_turns") {
    return failed(providerErrorCodes.maxTurns, text, details);
  }
  return failed(providerErrorCodes.error, text, details);
}
