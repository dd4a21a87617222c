import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTempDir } from "../../test/support/temp-dir.js";
import { BlobStore } from "./blob-store.js";

const tempDir = useTempDir();
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

async function* chunks(...parts: (string | Buffer)[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield typeof part === "string" ? Buffer.from(part) : part;
}

describe("BlobStore", () => {
  it("stores bytes once by sha256, with the same id for the same bytes and type", async () => {
    const store = new BlobStore(tempDir());
    const first = await store.put(chunks("hello ", "world"), "text/plain", 100);
    const again = await store.put(chunks("hello world"), "text/plain", 100);
    const asMarkdown = await store.put(chunks("hello world"), "text/markdown", 100);
    if (!first.ok || !again.ok || !asMarkdown.ok) throw new Error("refused");
    expect(first.created).toBe(true);
    expect(again).toEqual({ ok: true, attachment: first.attachment, created: false });
    expect(first.attachment).toMatchObject({
      mediaType: "text/plain",
      size: 11,
      sha256: "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
    });
    expect(asMarkdown.attachment.id).not.toBe(first.attachment.id);
    expect(readdirSync(join(store.dir, "sha256"))).toEqual([first.attachment.sha256]);
    const blob = await store.get(first.attachment.id);
    expect(readFileSync(blob!.path, "utf8")).toBe("hello world");
  });

  it("refuses bytes that are not the declared type, over the limit, or not UTF-8 text, leaving nothing", async () => {
    const store = new BlobStore(tempDir());
    expect(await store.put(chunks("not a png"), "image/png", 100)).toMatchObject({
      ok: false,
      error: { code: "media_type_mismatch" },
    });
    expect(
      await store.put(chunks("x".repeat(60), "y".repeat(41)), "text/plain", 100),
    ).toMatchObject({
      ok: false,
      error: { code: "payload_too_large" },
    });
    expect(
      await store.put(chunks(Buffer.from([0xc3, 0x28])), "application/json", 100),
    ).toMatchObject({
      ok: false,
      error: { code: "media_type_mismatch" },
    });
    expect(readdirSync(join(store.dir, "sha256"))).toEqual([]);
    expect(readdirSync(join(store.dir, "tmp"))).toEqual([]);
    expect((await store.put(chunks(PNG), "image/png", 100)).ok).toBe(true);
  });

  it("a multi-byte character split across chunks is still UTF-8", async () => {
    const store = new BlobStore(tempDir());
    const euro = Buffer.from("€");
    const put = await store.put(chunks(euro.subarray(0, 1), euro.subarray(1)), "text/plain", 10);
    expect(put.ok).toBe(true);
  });

  it("boot empties tmp/, left by an upload a crash cut short", () => {
    const dir = tempDir();
    new BlobStore(dir);
    writeFileSync(join(dir, "tmp", "half-upload"), "partial");
    new BlobStore(dir);
    expect(readdirSync(join(dir, "tmp"))).toEqual([]);
  });

  it("the sweep removes unreferenced attachments past the grace period, and their bytes", async () => {
    const store = new BlobStore(tempDir());
    const kept = await store.put(chunks("kept"), "text/plain", 100);
    const young = await store.put(chunks("young"), "text/plain", 100);
    const old = await store.put(chunks("old"), "text/plain", 100);
    if (!kept.ok || !young.ok || !old.ok) throw new Error("refused");
    const past = new Date(Date.now() - 10_000);
    for (const { attachment } of [kept, old]) {
      utimesSync(join(store.dir, "attachments", `${attachment.id}.json`), past, past);
      utimesSync(join(store.dir, "sha256", attachment.sha256), past, past);
    }
    const removed = await store.sweep((id) => id === kept.attachment.id, 5_000, Date.now());
    expect(removed).toEqual([old.attachment.id]);
    expect(await store.get(old.attachment.id)).toBeUndefined();
    expect(existsSync(join(store.dir, "sha256", old.attachment.sha256))).toBe(false);
    expect(await store.get(kept.attachment.id)).toBeDefined();
    expect(await store.get(young.attachment.id)).toBeDefined();
  });
});
