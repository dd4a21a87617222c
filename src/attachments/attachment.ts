import * as v from "valibot";

/** What the engine knows of one upload; the bytes are in the blob store under `sha256`. */
export interface Attachment {
  /** Derived from the bytes and the media type: the same upload again has the same id. */
  id: string;
  mediaType: string;
  size: number;
  sha256: string;
}

export const AttachmentId = v.pipe(
  v.string(),
  v.regex(/^att_[0-9a-f]{32}$/, 'must be an attachment id ("att_" and 32 hex digits)'),
);

/** A file name as the agent will see it: one path component, no NUL, at most 255 bytes. */
export const AttachmentName = v.pipe(
  v.string(),
  v.minLength(1, "must not be empty"),
  v.check((name) => Buffer.byteLength(name) <= 255, "must be at most 255 bytes"),
  v.check(
    (name) => !/[/\\\0]/.test(name) && name !== "." && name !== "..",
    "must be a file name, not a path",
  ),
);

export const AttachmentParams = v.strictObject({ attachmentId: AttachmentId });
