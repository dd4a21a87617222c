import type { TurnError, TurnUsage } from "../../events/chat-events.js";
import { providerErrorCodes } from "../toolkit/error-codes.js";
import type { CodexTurnError, TokenUsageBreakdown } from "./codex-protocol.js";

/** What to configure when Codex has no usable credentials (docs/codex.md). */
const CODEX_AUTH_HINT =
  "Configure Codex's credentials: set OPENAI_API_KEY (or the env_key of the configured model provider), or log in so that ~/.codex/auth.json exists (CODEX_HOME moves it).";

/** Codex's own words when it has no credentials to send (it does not even try the API). */
const NO_CREDENTIALS = /Missing environment variable|no API key|not logged in|please log ?in/i;
/** Codex's own words once it gives up its retries and waits for the network indefinitely. */
const UNREACHABLE = /waiting for network|error sending request|lookup address|Connection refused/i;

function snakeCase(value: string): string {
  return value.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/**
 * A stable code from Codex's `codexErrorInfo`: `"unauthorized"` or an HTTP 401 become
 * `provider_auth_failed`, other HTTP failures `provider_api_error` (the codes both agents
 * share), Codex's other named kinds `codex_<snake_case>` (e.g. `codex_context_window_exceeded`).
 */
export function codexErrorCode(info: unknown): { code: string; httpStatusCode: number | null } {
  if (typeof info === "string") {
    return {
      code: info === "unauthorized" ? providerErrorCodes.authFailed : `codex_${snakeCase(info)}`,
      httpStatusCode: null,
    };
  }
  if (typeof info === "object" && info !== null) {
    for (const value of Object.values(info)) {
      const status = (value as { httpStatusCode?: unknown } | null)?.httpStatusCode;
      if (typeof status === "number") {
        return {
          code: status === 401 ? providerErrorCodes.authFailed : providerErrorCodes.apiError,
          httpStatusCode: status,
        };
      }
    }
  }
  return { code: providerErrorCodes.error, httpStatusCode: null };
}

function isUnreachable(error: CodexTurnError): boolean {
  return UNREACHABLE.test(`${error.message} ${error.additionalDetails ?? ""}`);
}

/**
 * The TurnError of a `turn/completed` with status `failed`, or of an `error` notification that
 * ends the turn early (`earlyEnd`).
 */
export function failedTurnError(error: CodexTurnError | null): TurnError {
  if (!error)
    return { code: providerErrorCodes.error, message: "Codex reported the turn as failed" };
  const mapped = codexErrorCode(error.codexErrorInfo);
  const code = NO_CREDENTIALS.test(error.message)
    ? providerErrorCodes.authFailed
    : mapped.code === providerErrorCodes.error && isUnreachable(error)
      ? providerErrorCodes.unreachable
      : mapped.code;
  const details: Record<string, unknown> = {};
  if (mapped.httpStatusCode !== null) details.httpStatusCode = mapped.httpStatusCode;
  if (error.additionalDetails) details.additionalDetails = error.additionalDetails;
  if (error.codexErrorInfo !== undefined && error.codexErrorInfo !== null) {
    details.codexErrorInfo = error.codexErrorInfo;
  }
  // The same shape as Claude's messages: what failed, Codex's own words, then what to do.
  const message =
    code === providerErrorCodes.authFailed
      ? `Codex has no usable credentials (${error.message}). ${CODEX_AUTH_HINT}`
      : code === providerErrorCodes.unreachable
        ? `Codex cannot reach the model API (${error.message}). Check the network and the model provider's base_url.`
        : error.message;
  return { code, message, details };
}

/**
 * An `error` Codex will retry that ends the turn now rather than at the watchdog: refused
 * credentials (retrying cannot help) and an API it cannot reach (it waits for the network
 * indefinitely). Null for the retries worth waiting for (a 500, a dropped stream).
 */
export function earlyEnd(error: CodexTurnError): TurnError | null {
  const { code } = codexErrorCode(error.codexErrorInfo);
  if (code === providerErrorCodes.authFailed) return failedTurnError(error);
  if (/waiting for network/i.test(error.message) && isUnreachable(error)) {
    return failedTurnError(error);
  }
  return null;
}

/**
 * Codex reports the thread's cumulative totals (`thread/tokenUsage/updated.tokenUsage.total`).
 * A turn's own usage is the difference between the last totals seen in the turn and the totals
 * before it began (`baseline`, null for a new thread).
 *
 * OpenAI counts cached tokens inside `inputTokens`; TurnUsage keeps the buckets disjoint (as
 * Claude reports them), so `inputTokens` here is the uncached part.
 */
export function turnUsage(
  totals: TokenUsageBreakdown,
  baseline: TokenUsageBreakdown | null,
): TurnUsage {
  const delta = (pick: (usage: TokenUsageBreakdown) => number) =>
    Math.max(0, pick(totals) - (baseline ? pick(baseline) : 0));
  const input = delta((u) => u.inputTokens);
  const cacheRead = delta((u) => u.cachedInputTokens);
  return {
    inputTokens: Math.max(0, input - cacheRead),
    outputTokens: delta((u) => u.outputTokens),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: delta((u) => u.cacheWriteInputTokens),
    reasoningTokens: delta((u) => u.reasoningOutputTokens),
  };
}
