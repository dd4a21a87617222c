import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "./api-error.js";

/**
 * Refuses a body over `maxSize` bytes with 413 (the app closes the connection then). A body
 * whose length is declared (`content-length`, the usual case: every JSON call) is judged by
 * that header alone, as hono's `bodyLimit` judges it, but without touching the request's
 * `body`: reading that property makes @hono/node-server build the full fetch `Request` (undici
 * headers, a web stream over the socket), where `c.req.text()` otherwise reads the socket
 * directly; on a warm turn's POST that was the most costly step before the chat's command. A
 * chunked body (no declared length) is counted as it is read, by hono's `bodyLimit`.
 */
export function limitBody(maxSize: number): MiddlewareHandler {
  const tooLarge = () => {
    throw new ApiError(413, "payload_too_large", `the body is larger than ${maxSize} bytes`);
  };
  const counted = bodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    if (c.req.header("transfer-encoding") !== undefined) return counted(c, next);
    // No transfer-encoding: the body is exactly `content-length` bytes (none without it).
    const length = c.req.header("content-length");
    if (length !== undefined && Number.parseInt(length, 10) > maxSize) tooLarge();
    await next();
  };
}
