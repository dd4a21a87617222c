import { describe, expect, test } from "vitest";
import { codexErrorCode, failedTurnError } from "./turn-error.js";

describe("codex error codes", () => {
  test("named kinds, HTTP statuses and unknown shapes", () => {
    expect(codexErrorCode("contextWindowExceeded")).toEqual({
      code: "codex_context_window_exceeded",
      httpStatusCode: null,
    });
    expect(codexErrorCode("unauthorized").code).toBe("codex_unauthorized");
    expect(codexErrorCode({ httpConnectionFailed: { httpStatusCode: 401 } })).toEqual({
      code: "codex_unauthorized",
      httpStatusCode: 401,
    });
    expect(codexErrorCode({ responseStreamConnectionFailed: { httpStatusCode: 503 } })).toEqual({
      code: "codex_http_error",
      httpStatusCode: 503,
    });
    expect(codexErrorCode(null).code).toBe("codex_turn_failed");
  });

  test("a failed turn without an error object still gets a message", () => {
    expect(failedTurnError(null)).toEqual({
      code: "codex_turn_failed",
      message: "Codex reported the turn as failed",
    });
  });
});
