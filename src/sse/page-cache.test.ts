import { describe, expect, it } from "vitest";
import { openTestLog } from "../../test/support/open-test-log.js";
import { useTempDir } from "../../test/support/temp-dir.js";
import { appendToStream } from "../log/append-to-stream.js";
import { PageCache } from "./page-cache.js";

const tempDir = useTempDir();
const created = (chatId: string) => ({
  type: "chat.created" as const,
  data: { chatId, provider: "claude" as const, title: null, cwd: "/w", settings: {} },
});
const ids = (chunk: string) => [...chunk.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));

describe("PageCache", () => {
  it("hands subscribers at the same cursor the same page, read once", () => {
    const log = openTestLog(tempDir());
    for (const id of ["a", "b", "c"]) appendToStream(log, `chat:${id}`, [created(id)]);
    const pages = new PageCache(log);
    const first = pages.read({ after: 0, limit: 10 });
    expect(ids(first.chunk)).toEqual([1, 2, 3]);
    expect(first.scannedTo).toBe(3);
    expect(pages.read({ after: 0, limit: 10 })).toBe(first);
    log.close();
  });

  it("a cached page stays exact after later commits, and the next page picks them up", () => {
    const log = openTestLog(tempDir());
    appendToStream(log, "chat:a", [created("a")]);
    const pages = new PageCache(log);
    const before = pages.read({ after: 0, limit: 10 });
    appendToStream(log, "chat:b", [created("b")]);
    expect(ids(pages.read({ after: 0, limit: 10 }).chunk)).toEqual(ids(before.chunk));
    expect(ids(pages.read({ after: before.scannedTo, limit: 10 }).chunk)).toEqual([2]);
    log.close();
  });

  it("keys pages by filter, and a full page stops at its last row", () => {
    const log = openTestLog(tempDir());
    for (const id of ["a", "b", "c", "d"]) appendToStream(log, `chat:${id}`, [created(id)]);
    const pages = new PageCache(log);
    expect(ids(pages.read({ after: 0, limit: 10, streams: ["chat:c"] }).chunk)).toEqual([3]);
    const full = pages.read({ after: 0, limit: 2 });
    expect([ids(full.chunk), full.scannedTo]).toEqual([[1, 2], 2]);
    const empty = pages.read({ after: 0, limit: 10, streams: ["chat:zz"] });
    expect([empty.chunk, empty.scannedTo]).toEqual(["", 4]);
    log.close();
  });

  it("ends a page at its byte bound, never before its first event, and goes on after it", () => {
    const log = openTestLog(tempDir());
    const titled = (chatId: string, size: number) => ({
      ...created(chatId),
      data: { ...created(chatId).data, title: "t".repeat(size) },
    });
    for (const id of ["a", "b", "c", "d"]) appendToStream(log, `chat:${id}`, [titled(id, 10_000)]);
    appendToStream(log, "chat:e", [titled("e", 50_000)]);
    const pages = new PageCache(log, { pageBytes: 25_000, cacheBytes: 1024 * 1024 });
    const first = pages.read({ after: 0, limit: 256 });
    // The third event takes the page past 25,000 bytes: the page ends there.
    expect([ids(first.chunk), first.scannedTo]).toEqual([[1, 2, 3], 3]);
    expect(first.bytes).toBe(Buffer.byteLength(first.chunk));
    expect(first.bytes).toBeLessThan(25_000 + 11_000);
    // The bound is checked after each event: a page passes it by at most its last event.
    const second = pages.read({ after: first.scannedTo, limit: 256 });
    expect([ids(second.chunk), second.scannedTo]).toEqual([[4, 5], 5]);
    // An event larger than the bound makes a page on its own.
    const alone = pages.read({ after: 4, limit: 256 });
    expect([ids(alone.chunk), alone.scannedTo]).toEqual([[5], 5]);
    const rest = pages.read({ after: second.scannedTo, limit: 256 });
    expect([rest.chunk, rest.scannedTo]).toEqual(["", 5]);
    log.close();
  });

  it("holds at most its byte bound in all, dropping the oldest pages first", () => {
    const log = openTestLog(tempDir());
    for (let i = 0; i < 20; i++) appendToStream(log, `chat:c${i}`, [created(`c${i}`)]);
    const one = new PageCache(log).read({ after: 0, limit: 1 }).bytes;
    const pages = new PageCache(log, { pageBytes: 1024 * 1024, cacheBytes: 5 * one + one / 2 });
    const first = pages.read({ after: 0, limit: 1 });
    let newest = first;
    for (let after = 1; after < 20; after++) {
      newest = pages.read({ after, limit: 1 });
      expect(pages.bytes).toBeLessThanOrEqual(5 * one + one / 2);
    }
    // Pages of about the same size: five fit, each new one pushes the oldest out.
    expect(pages.bytes).toBeGreaterThanOrEqual(4 * one);
    expect(pages.read({ after: 19, limit: 1 })).toBe(newest);
    expect(pages.read({ after: 0, limit: 1 })).not.toBe(first);
    log.close();
  });

  it("clear frees every page", () => {
    const log = openTestLog(tempDir());
    for (const id of ["a", "b", "c"]) appendToStream(log, `chat:${id}`, [created(id)]);
    const pages = new PageCache(log);
    const page = pages.read({ after: 0, limit: 10 });
    expect(pages.bytes).toBe(page.bytes);
    pages.clear();
    expect(pages.bytes).toBe(0);
    expect(pages.read({ after: 0, limit: 10 })).not.toBe(page);
    log.close();
  });
});
