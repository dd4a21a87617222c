import { createHash, timingSafeEqual } from "node:crypto";
import { createMiddleware } from "hono/factory";
import { ApiError } from "./api-error.js";

export const SECRET_HEADER = "x-replicas-engine-secret";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Requires the shared secret header. Both sides are hashed first so the comparison is constant
 * time whatever the length of what the caller sent.
 */
export function requireSecret(secret: string) {
  const expected = digest(secret);
  return createMiddleware(async (c, next) => {
    const given = c.req.header(SECRET_HEADER);
    if (given === undefined)
      throw new ApiError(401, "unauthorized", "missing X-Replicas-Engine-Secret header");
    if (!timingSafeEqual(digest(given), expected)) {
      throw new ApiError(401, "unauthorized", "wrong X-Replicas-Engine-Secret");
    }
    await next();
  });
}
