import type { ServerResponse } from "node:http";
import type { PageCache } from "./page-cache.js";

/**
 * The open event streams: counted for /status and ended together at shutdown. When the last one
 * closes, the shared page cache is emptied: pages are kept for readers, not for the log.
 */
export class Subscribers {
  private readonly open = new Set<ServerResponse>();

  constructor(private readonly pages: PageCache) {}

  add(res: ServerResponse): void {
    this.open.add(res);
    res.once("close", () => {
      this.open.delete(res);
      if (this.open.size === 0) this.pages.clear();
    });
  }

  get count(): number {
    return this.open.size;
  }

  /** The most bytes any stream has waiting in its socket buffer: bounded by one page. */
  get maxBufferedBytes(): number {
    let max = 0;
    for (const res of this.open) max = Math.max(max, res.writableLength);
    return max;
  }

  /** The bytes the shared page cache holds. */
  get cachedPageBytes(): number {
    return this.pages.bytes;
  }

  endAll(): void {
    for (const res of this.open) res.end();
    this.open.clear();
    this.pages.clear();
  }
}
