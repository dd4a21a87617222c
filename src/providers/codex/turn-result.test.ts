import { describe, expect, test } from "vitest";
import { codexErrorCode, earlyEnd, failedTurnError, turnUsage } from "./turn-result.js";

describe("codex error codes", () => {
  test("named kinds, HTTP statuses and unknown shapes", () => {
    expect(codexErrorCode("contextWindowExceeded")).toEqual({
      code: "codex_context_window_exceeded",
      httpStatusCode: null,
    });
    expect(codexErrorCode("unauthorized").code).toBe("provider_auth_failed");
    expect(codexErrorCode({ httpConnectionFailed: { httpStatusCode: 401 } })).toEqual({
      code: "provider_auth_failed",
      httpStatusCode: 401,
    });
    expect(codexErrorCode({ responseStreamConnectionFailed: { httpStatusCode: 503 } })).toEqual({
      code: "provider_api_error",
      httpStatusCode: 503,
    });
    expect(codexErrorCode(null).code).toBe("provider_error");
  });

  test("no key to send at all: provider_auth_failed, saying what to configure", () => {
    const error = failedTurnError({
      message: "Missing environment variable: `OPENAI_API_KEY`.",
      codexErrorInfo: "other",
      additionalDetails: null,
    });
    expect(error.code).toBe("provider_auth_failed");
    expect(error.message).toContain("~/.codex/auth.json");
  });

  test("a failed turn without an error object still gets a message", () => {
    expect(failedTurnError(null)).toEqual({
      code: "provider_error",
      message: "Codex reported the turn as failed",
    });
  });
});

describe("earlyEnd: errors Codex would retry that end the turn at once", () => {
  test("waiting for network: provider_unreachable, saying what to check", () => {
    const error = earlyEnd({
      message: "Reconnecting... waiting for network",
      codexErrorInfo: { responseStreamDisconnected: { httpStatusCode: null } },
      additionalDetails: "Connection failed: error sending request",
    });
    expect(error?.code).toBe("provider_unreachable");
    expect(error?.message).toContain("base_url");
  });

  test("refused credentials: provider_auth_failed naming OPENAI_API_KEY and ~/.codex/auth.json", () => {
    const error = earlyEnd({
      message: "unexpected status 401 Unauthorized",
      codexErrorInfo: { httpConnectionFailed: { httpStatusCode: 401 } },
      additionalDetails: null,
    });
    expect(error?.code).toBe("provider_auth_failed");
    expect(error?.message).toContain("OPENAI_API_KEY");
    expect(error?.message).toContain("~/.codex/auth.json");
  });

  test("a retry worth waiting for (a 500, a numbered reconnect) does not end the turn", () => {
    expect(
      earlyEnd({
        message: "Reconnecting... 2/5",
        codexErrorInfo: "internalServerError",
        additionalDetails: null,
      }),
    ).toBeNull();
    expect(
      earlyEnd({
        message:
          "Reconnecting... 3/5 (stream disconnected before completion: failed to lookup address information)",
        codexErrorInfo: { responseStreamDisconnected: { httpStatusCode: null } },
        additionalDetails: null,
      }),
    ).toBeNull();
  });
});

const totals = (input: number, cached: number, output: number, reasoning: number) => ({
  totalTokens: input + output,
  inputTokens: input,
  cachedInputTokens: cached,
  cacheWriteInputTokens: 0,
  outputTokens: output,
  reasoningOutputTokens: reasoning,
});

describe("turnUsage", () => {
  test("a new thread: its totals are the turn's, cached tokens split out of input", () => {
    expect(turnUsage(totals(100, 20, 10, 3), null)).toEqual({
      inputTokens: 80,
      cacheReadTokens: 20,
      cacheWriteTokens: 0,
      outputTokens: 10,
      reasoningTokens: 3,
    });
  });

  test("a later turn: only the growth since the previous totals", () => {
    expect(turnUsage(totals(650, 470, 57, 8), totals(100, 20, 10, 3))).toEqual({
      inputTokens: 100,
      cacheReadTokens: 450,
      cacheWriteTokens: 0,
      outputTokens: 47,
      reasoningTokens: 5,
    });
  });

  test("totals that went down (a compacted or reset thread) never give negative usage", () => {
    const usage = turnUsage(totals(50, 10, 5, 0), totals(100, 20, 10, 3));
    expect(Object.values(usage).every((n) => n >= 0)).toBe(true);
  });
});
