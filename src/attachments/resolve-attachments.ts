import { constants } from "node:fs";
import { copyFile, mkdir, open } from "node:fs/promises";
import { basename, join } from "node:path";
import type { MessageAttachment } from "../events/canonical-item.js";
import type { BlobStore, StoredBlob } from "./blob-store.js";
import { isImage, MAX_ATTACHMENT_BYTES, matchesSignature, SIGNATURE_BYTES } from "./media-types.js";

/** What a message names: an upload by id, or a file already on this machine by absolute path. */
export type AttachmentRef = { id: string; name?: string } | { path: string; name?: string };

export type ResolveError = { code: "attachment_not_found" | "invalid_attachment"; message: string };
export type Resolved =
  | { ok: true; attachments: MessageAttachment[] }
  | { ok: false; error: ResolveError };

/** Where uploads that are not images are copied for the agent to read with its own tools. */
export const attachmentsFolder = (cwd: string) => join(cwd, ".replicas", "attachments");

const EXTENSIONS: Record<string, string> = {
  "image/png": ".png",
  "image/jpeg": ".jpg",
  "image/gif": ".gif",
  "image/webp": ".webp",
  "application/pdf": ".pdf",
  "application/json": ".json",
  "text/markdown": ".md",
  "text/plain": ".txt",
};

const invalid = (message: string): Resolved => ({
  ok: false,
  error: { code: "invalid_attachment", message },
});

/**
 * Turns a message's references into what its events record: each with its id, media type,
 * size, name, and the path the agent gets. Images reach the agent as image input (read from
 * the blob store); other uploads are copied into the chat's cwd; a named file stays where it is.
 * Every file named by path is taken into the blob store too, so clients can fetch it by id and
 * an image sent later is the one the message was queued with.
 */
export async function resolveAttachments(
  store: BlobStore,
  cwd: string,
  refs: readonly AttachmentRef[],
): Promise<Resolved> {
  const attachments: MessageAttachment[] = [];
  for (const ref of refs) {
    const resolved = "id" in ref ? await fromUpload(store, cwd, ref) : await fromPath(store, ref);
    if (!resolved.ok) return resolved;
    attachments.push(...resolved.attachments);
  }
  return { ok: true, attachments };
}

async function fromUpload(
  store: BlobStore,
  cwd: string,
  ref: { id: string; name?: string },
): Promise<Resolved> {
  const blob = await store.get(ref.id);
  if (!blob) {
    return {
      ok: false,
      error: {
        code: "attachment_not_found",
        message: `no attachment with id "${ref.id}": upload it first with POST /attachments`,
      },
    };
  }
  const { attachment } = blob;
  const name = ref.name ?? `${attachment.id}${EXTENSIONS[attachment.mediaType] ?? ""}`;
  if (isImage(attachment.mediaType)) return one(blob, name, blob.path);
  // One folder per attachment: two files of the same name never overwrite each other.
  const folder = join(attachmentsFolder(cwd), attachment.id);
  const path = join(folder, name);
  const copied = await mkdir(folder, { recursive: true })
    .then(() => copyFile(blob.path, path))
    .catch((error: NodeJS.ErrnoException) => error);
  if (copied instanceof Error) {
    return invalid(
      `attachment "${name}" could not be copied into the chat's folder ${folder} (${copied.code ?? copied.message}): check that the chat's cwd is writable and has room, or give the attachment another name`,
    );
  }
  return one(blob, name, path);
}

const one = ({ attachment }: StoredBlob, name: string, path: string): Resolved => ({
  ok: true,
  attachments: [
    { id: attachment.id, mediaType: attachment.mediaType, size: attachment.size, name, path },
  ],
});

// O_NONBLOCK: a FIFO named as an attachment opens at once instead of parking a thread forever;
// what counts is the opened descriptor (fstat), not the path checked a moment before.
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

async function fromPath(store: BlobStore, ref: { path: string; name?: string }): Promise<Resolved> {
  const handle = await open(ref.path, READ_FLAGS).catch((error: NodeJS.ErrnoException) => error);
  if (handle instanceof Error) {
    const why = handle.code === "ENOENT" ? "does not exist" : `cannot be read (${handle.code})`;
    return invalid(`attachment path "${ref.path}" ${why}`);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory())
      return invalid(`attachment path "${ref.path}" is a directory: attach its files one by one`);
    if (!info.isFile()) return invalid(`attachment path "${ref.path}" is not a regular file`);
    if (info.size > MAX_ATTACHMENT_BYTES)
      return invalid(
        `attachment path "${ref.path}" holds ${info.size} bytes; at most ${MAX_ATTACHMENT_BYTES} can be attached`,
      );
    const head = Buffer.alloc(SIGNATURE_BYTES);
    await handle.read(head, 0, SIGNATURE_BYTES, 0);
    const stored = await store.put(
      handle.createReadStream({ start: 0, autoClose: false }),
      mediaTypeOf(ref.path, head),
      MAX_ATTACHMENT_BYTES,
    );
    if (!stored.ok) return invalid(`attachment path "${ref.path}": ${stored.error.message}`);
    const blob = await store.get(stored.attachment.id);
    if (!blob) throw new Error("an attachment just stored is missing");
    const name = ref.name ?? basename(ref.path);
    return one(blob, name, isImage(blob.attachment.mediaType) ? blob.path : ref.path);
  } finally {
    await handle.close();
  }
}

/** A named file's type, from its first bytes for binary types, else from its name. */
function mediaTypeOf(path: string, head: Buffer): string {
  for (const type of ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"])
    if (matchesSignature(type, head)) return type;
  if (path.endsWith(".json")) return "application/json";
  if (/\.(md|markdown)$/i.test(path)) return "text/markdown";
  return "application/octet-stream";
}
