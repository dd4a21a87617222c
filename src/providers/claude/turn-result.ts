import type { TurnUsage } from "../../events/chat-events.js";
import type { TerminalOutput } from "../provider.js";
import type { ResultLine, ResultUsage } from "./claude-lines.js";

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

function apiErrorMessage(status: number, text: string): string {
  if (status === 401) {
    return `The model API rejected the credentials (HTTP 401): ${text}. Check ANTHROPIC_API_KEY or the Claude login.`;
  }
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
    return {
      kind: "failed",
      error: {
        code: line.api_error_status === 401 ? "provider_auth_failed" : "provider_api_error",
        message: apiErrorMessage(line.api_error_status, text),
        details,
      },
    };
  }
  if (line.terminal_reason === "api_error") {
    return { kind: "failed", error: { code: "provider_api_error", message: text, details } };
  }
  if (line.subtype === "error_max_turns") {
    return { kind: "failed", error: { code: "provider_max_turns", message: text, details } };
  }
  return { kind: "failed", error: { code: "provider_error", message: text, details } };
}
