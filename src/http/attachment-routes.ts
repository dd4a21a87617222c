import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { Hono } from "hono";
import { AttachmentParams } from "../attachments/attachment.js";
import type { BlobStore } from "../attachments/blob-store.js";
import {
  ACCEPTED_MEDIA_TYPES,
  acceptedMediaType,
  isImage,
  MAX_ATTACHMENT_BYTES,
} from "../attachments/media-types.js";
import { ApiError } from "./api-error.js";
import { limitBody } from "./body-limit.js";
import { parseParams } from "./parse-input.js";

/** Uploads (raw bytes, up to 20 MiB) and downloads of attachments. */
export function attachmentRoutes(store: BlobStore) {
  return new Hono()
    .post("/attachments", limitBody(MAX_ATTACHMENT_BYTES), async (c) => {
      const declared = c.req.header("content-type");
      const mediaType = acceptedMediaType(declared);
      if (!mediaType) {
        throw new ApiError(
          415,
          "unsupported_media_type",
          `an attachment must be one of ${ACCEPTED_MEDIA_TYPES.join(", ")}; got "${declared ?? "no content type"}"`,
        );
      }
      const body = c.req.raw.body ?? emptyBody();
      const stored = await store.put(body, mediaType, MAX_ATTACHMENT_BYTES);
      if (!stored.ok) {
        const { code, message } = stored.error;
        if (code === "payload_too_large") {
          c.header("connection", "close");
          throw new ApiError(413, code, message);
        }
        throw new ApiError(400, code, `${message}: upload it with its real Content-Type`);
      }
      return c.json({ attachment: stored.attachment }, stored.created ? 201 : 200);
    })
    .get("/attachments/:attachmentId", async (c) => {
      const { attachmentId } = parseParams(c, AttachmentParams);
      const blob = await store.get(attachmentId);
      if (!blob)
        throw new ApiError(404, "attachment_not_found", `no attachment with id "${attachmentId}"`);
      const { attachment } = blob;
      const stream = Readable.toWeb(createReadStream(blob.path)) as ReadableStream<Uint8Array>;
      return new Response(stream, {
        headers: {
          "content-type": attachment.mediaType,
          "content-length": String(attachment.size),
          "cache-control": "private, max-age=31536000, immutable",
          "x-content-type-options": "nosniff",
          // Served from the engine's origin: never let an uploaded page run there.
          "content-security-policy": "sandbox; default-src 'none'; img-src 'self'",
          "content-disposition": isImage(attachment.mediaType) ? "inline" : "attachment",
        },
      });
    });
}

async function* emptyBody(): AsyncIterable<Uint8Array> {}
