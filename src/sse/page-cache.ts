import type { Catalogue } from "../events/catalogue.js";
import type { EventLog } from "../log/event-log.js";
import { readEventsBatch } from "../log/read-events-batch.js";
import { encodeEventJson } from "../log/stored-event.js";

/** One page of the log after a cursor, encoded as SSE frames. */
export interface EncodedPage {
  /** The frames, ready to write; empty when nothing matched. */
  chunk: string;
  /** How far the page covers the log: the next page starts after this position. */
  scannedTo: number;
}

export interface PageRequest {
  after: number;
  limit: number;
  streams?: readonly string[];
  types?: readonly string[];
}

function frames(catalogue: Catalogue, log: EventLog, request: PageRequest): EncodedPage {
  const headAtRead = log.commits.position;
  const rows = readEventsBatch(log.db, request);
  let chunk = "";
  for (const row of rows) {
    chunk += `id: ${row.position}\nevent: ${row.type}\ndata: ${encodeEventJson(catalogue, row)}\n\n`;
  }
  const last = rows.at(-1)?.position ?? request.after;
  // A short page saw everything committed so far; a full one stops at its last row.
  return { chunk, scannedTo: rows.length < request.limit ? Math.max(headAtRead, last) : last };
}

/**
 * Recently read pages, shared by every subscriber at the same cursor with the same filters: when
 * a commit wakes a thousand streams, one reads and encodes, the others reuse its bytes. A cached
 * page never goes stale: the log is append-only, so the events in (after, scannedTo] are fixed.
 */
export class PageCache {
  private readonly pages = new Map<string, EncodedPage>();

  constructor(
    private readonly log: EventLog,
    private readonly capacity = 32,
  ) {}

  read(request: PageRequest): EncodedPage {
    const key = `${request.after}|${request.limit}|${request.streams?.join(",") ?? ""}|${request.types?.join(",") ?? ""}`;
    const cached = this.pages.get(key);
    if (cached) return cached;
    const page = frames(this.log.catalogue, this.log, request);
    // Only pages with events are worth sharing; an empty one is cheap and soon outgrown.
    if (page.chunk) {
      this.pages.set(key, page);
      if (this.pages.size > this.capacity)
        this.pages.delete(this.pages.keys().next().value as string);
    }
    return page;
  }
}
