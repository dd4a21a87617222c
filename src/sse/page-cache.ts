import type { Catalogue } from "../events/catalogue.js";
import type { LogReader } from "../log/event-log.js";
import { iterateEventsBatch } from "../log/read-events-batch.js";
import { encodeEventJson } from "../log/stored-event.js";

/** One page of the log after a cursor, encoded as SSE frames. */
export interface EncodedPage {
  /** The frames, ready to write; empty when nothing matched. */
  chunk: string;
  /** The chunk's size in UTF-8, as it goes out on the socket. */
  bytes: number;
  /** How far the page covers the log: the next page starts after this position. */
  scannedTo: number;
}

export interface PageRequest {
  after: number;
  limit: number;
  streams?: readonly string[];
  types?: readonly string[];
}

export interface PageCacheLimits {
  /** A page ends after the event that takes it to this many bytes (it holds at least one). */
  pageBytes: number;
  /** The cache drops its oldest pages beyond this many bytes in all. */
  cacheBytes: number;
}

export const defaultPageCacheLimits: PageCacheLimits = {
  pageBytes: 256 * 1024,
  cacheBytes: 8 * 1024 * 1024,
};

function frames(
  catalogue: Catalogue,
  log: LogReader,
  request: PageRequest,
  maxBytes: number,
): EncodedPage {
  const headAtRead = log.commits.position;
  let chunk = "";
  let bytes = 0;
  let count = 0;
  let last = request.after;
  for (const row of iterateEventsBatch(log.db, request)) {
    const frame = `id: ${row.position}\nevent: ${row.type}\ndata: ${encodeEventJson(catalogue, row)}\n\n`;
    chunk += frame;
    bytes += Buffer.byteLength(frame);
    count++;
    last = row.position;
    // Leaving the loop ends the query: the rows after this one are never read.
    if (bytes >= maxBytes) break;
  }
  // A short page saw everything committed so far; a full one (by count or bytes) stops at its
  // last row.
  const full = count === request.limit || bytes >= maxBytes;
  return { chunk, bytes, scannedTo: full ? last : Math.max(headAtRead, last) };
}

/**
 * Recently read pages, shared by every subscriber at the same cursor with the same filters: when
 * a commit wakes a thousand streams, one reads and encodes, the others reuse its bytes. A cached
 * page never goes stale: the log is append-only, so the events in (after, scannedTo] are fixed.
 * Memory is bounded by bytes, not by counts: a page by `pageBytes` (so a paused client holds at
 * most one page in its socket), the cache by `cacheBytes`; `clear` frees it all once the last
 * reader has gone.
 */
export class PageCache {
  private readonly pages = new Map<string, EncodedPage>();
  private held = 0;

  constructor(
    private readonly log: LogReader,
    private readonly limits: PageCacheLimits = defaultPageCacheLimits,
  ) {}

  /** The bytes of every cached page. */
  get bytes(): number {
    return this.held;
  }

  read(request: PageRequest): EncodedPage {
    const key = `${request.after}|${request.limit}|${request.streams?.join(",") ?? ""}|${request.types?.join(",") ?? ""}`;
    const cached = this.pages.get(key);
    if (cached) return cached;
    const page = frames(this.log.catalogue, this.log, request, this.limits.pageBytes);
    // Only pages with events are worth sharing; an empty one is cheap and soon outgrown.
    if (page.chunk) {
      this.pages.set(key, page);
      this.held += page.bytes;
      for (const [oldest, dropped] of this.pages) {
        if (this.held <= this.limits.cacheBytes) break;
        this.pages.delete(oldest);
        this.held -= dropped.bytes;
      }
    }
    return page;
  }

  clear(): void {
    this.pages.clear();
    this.held = 0;
  }
}
