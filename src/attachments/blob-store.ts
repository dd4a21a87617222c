import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { open, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Attachment } from "./attachment.js";
import { isText, matchesSignature, SIGNATURE_BYTES } from "./media-types.js";

export type StoreError =
  | { code: "payload_too_large"; message: string }
  | { code: "media_type_mismatch"; message: string };

export type StoreResult =
  | { ok: true; attachment: Attachment; created: boolean }
  | { ok: false; error: StoreError };

export interface StoredBlob {
  attachment: Attachment;
  path: string;
}

const attachmentId = (sha256: string, mediaType: string) =>
  `att_${createHash("sha256").update(`${mediaType}\n${sha256}`).digest("hex").slice(0, 32)}`;

/**
 * Uploaded bytes, stored once by their sha256 beside the database, and one small record per
 * (bytes, media type): the log only ever holds attachment ids. Uploads stream through a temp
 * file (hashed and checked as they arrive, never buffered whole) and are renamed into place
 * after an fsync, so a crash leaves either nothing or the complete file.
 */
export class BlobStore {
  private readonly bytesDir: string;
  private readonly recordsDir: string;
  private readonly tempDir: string;

  constructor(readonly dir: string) {
    this.bytesDir = join(dir, "sha256");
    this.recordsDir = join(dir, "attachments");
    this.tempDir = join(dir, "tmp");
    for (const d of [this.bytesDir, this.recordsDir])
      mkdirSync(d, { recursive: true, mode: 0o700 });
    // What is in tmp/ is an upload a previous run did not finish.
    rmSync(this.tempDir, { recursive: true, force: true });
    mkdirSync(this.tempDir, { recursive: true, mode: 0o700 });
  }

  async put(
    body: AsyncIterable<Uint8Array>,
    mediaType: string,
    maxBytes: number,
  ): Promise<StoreResult> {
    const temp = join(this.tempDir, randomBytes(8).toString("hex"));
    const file = await open(temp, "wx", 0o600);
    const hash = createHash("sha256");
    const text = isText(mediaType) ? new TextDecoder("utf-8", { fatal: true }) : null;
    let head = new Uint8Array(0);
    let size = 0;
    const discard = async () => {
      await file.close().catch(() => undefined);
      await rm(temp, { force: true });
    };
    const refuse = async (error: StoreError): Promise<StoreResult> => {
      await discard();
      return { ok: false, error };
    };
    try {
      for await (const chunk of body) {
        size += chunk.byteLength;
        if (size > maxBytes)
          return refuse({
            code: "payload_too_large",
            message: `the upload is larger than ${maxBytes} bytes`,
          });
        if (head.byteLength < SIGNATURE_BYTES) head = concat(head, chunk).slice(0, SIGNATURE_BYTES);
        hash.update(chunk);
        if (text) text.decode(chunk, { stream: true });
        await file.write(chunk);
      }
      if (text) text.decode();
    } catch (error) {
      if (error instanceof TypeError && text)
        return refuse({
          code: "media_type_mismatch",
          message: `the bytes are not UTF-8 text, as ${mediaType} must be`,
        });
      await discard();
      throw error;
    }
    if (!matchesSignature(mediaType, head))
      return refuse({
        code: "media_type_mismatch",
        message: `the bytes are not a ${mediaType} file`,
      });
    await file.sync();
    await file.close();
    const sha256 = hash.digest("hex");
    const bytesPath = join(this.bytesDir, sha256);
    if (await exists(bytesPath)) {
      await rm(temp, { force: true });
      // Fresh again, so a sweep running now leaves the bytes to the record written next.
      const now = new Date();
      await utimes(bytesPath, now, now);
    } else await rename(temp, bytesPath);
    const attachment: Attachment = { id: attachmentId(sha256, mediaType), mediaType, size, sha256 };
    const recordPath = join(this.recordsDir, `${attachment.id}.json`);
    const created = !(await exists(recordPath));
    if (created) await writeFile(recordPath, JSON.stringify(attachment), { mode: 0o600 });
    return { ok: true, attachment, created };
  }

  /** The attachment and where its bytes are; undefined for an unknown id. */
  async get(id: string): Promise<StoredBlob | undefined> {
    const text = await readFile(join(this.recordsDir, `${id}.json`), "utf8").catch(() => null);
    if (text === null) return undefined;
    const attachment = JSON.parse(text) as Attachment;
    return { attachment, path: join(this.bytesDir, attachment.sha256) };
  }

  /**
   * Removes the attachments no event refers to once they are older than `graceMs` (an upload is
   * referenced only when the message that names it is queued), then the bytes no record keeps.
   */
  async sweep(
    referenced: (id: string) => boolean,
    graceMs: number,
    now: number,
  ): Promise<string[]> {
    const removed: string[] = [];
    const kept = new Set<string>();
    for (const entry of readdirSync(this.recordsDir)) {
      const id = entry.replace(/\.json$/, "");
      const path = join(this.recordsDir, entry);
      const info = await stat(path).catch(() => null);
      const blob = await this.get(id).catch(() => undefined);
      if (!info || !blob) continue;
      if (referenced(id) || now - info.mtimeMs < graceMs) {
        kept.add(blob.attachment.sha256);
        continue;
      }
      await rm(path, { force: true });
      removed.push(id);
    }
    for (const sha256 of readdirSync(this.bytesDir)) {
      const path = join(this.bytesDir, sha256);
      const info = await stat(path).catch(() => null);
      // Young bytes may belong to an upload whose record is being written right now.
      if (info && !kept.has(sha256) && now - info.mtimeMs >= graceMs)
        await rm(path, { force: true });
    }
    return removed;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );
