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

  it("keeps at most its capacity of pages", () => {
    const log = openTestLog(tempDir());
    for (const id of ["a", "b", "c"]) appendToStream(log, `chat:${id}`, [created(id)]);
    const pages = new PageCache(log, 2);
    const first = pages.read({ after: 0, limit: 10 });
    pages.read({ after: 1, limit: 10 });
    pages.read({ after: 2, limit: 10 });
    expect(pages.read({ after: 0, limit: 10 })).not.toBe(first);
    log.close();
  });
});
