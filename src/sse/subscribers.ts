import type { ServerResponse } from "node:http";

/** The open event streams: counted for /status and ended together at shutdown. */
export class Subscribers {
  private readonly open = new Set<ServerResponse>();

  add(res: ServerResponse): void {
    this.open.add(res);
    res.once("close", () => this.open.delete(res));
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

  endAll(): void {
    for (const res of this.open) res.end();
    this.open.clear();
  }
}
