import { bodyLimit } from "hono/body-limit";
import { ApiError } from "./api-error.js";

/** Refuses a body over `maxSize` bytes with 413 (the app closes the connection then). */
export const limitBody = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError(413, "payload_too_large", `the body is larger than ${maxSize} bytes`);
    },
  });
