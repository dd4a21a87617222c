import { once } from "node:events";
import type { ServerResponse } from "node:http";
import type { LogReader } from "../log/event-log.js";
import type { CommitWaiters } from "./commit-waiters.js";
import type { PageCache } from "./page-cache.js";

export interface StreamRequest {
  /** Events after this position are sent. */
  after: number;
  streams?: string[];
  types?: string[];
  /** The epoch the client's cursor belongs to, when it knows one. */
  epoch?: string;
}

/** What all subscribers share: one log listener for the idle ones, recently read pages. */
export interface StreamShared {
  waiters: CommitWaiters;
  pages: PageCache;
}

export interface StreamSettings {
  heartbeatMs: number;
  retryMs: number;
  pageSize: number;
}

const headers = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
  connection: "keep-alive",
};

/**
 * Streams the committed log to one client. The subscriber owns only a cursor: it reads the next
 * page (from SQLite, or the page another subscriber at the same cursor just read) when its
 * socket has drained, writes the page as one chunk, and parks until the next commit when it has
 * caught up. A slow client therefore costs at most one page of
 * memory, and never loses or reorders an event.
 */
export async function streamEvents(
  log: LogReader,
  shared: StreamShared,
  res: ServerResponse,
  request: StreamRequest,
  settings: StreamSettings,
): Promise<void> {
  const connection = new AbortController();
  res.once("close", () => connection.abort());
  const closed = connection.signal;
  res.writeHead(200, { ...headers, "x-replicas-epoch": log.epoch });

  const head = log.commits.position;
  const foreign = request.epoch !== undefined && request.epoch !== log.epoch;
  if (foreign || request.after > head) {
    // The cursor belongs to another log: replaying from it would hand out wrong ids.
    const reset = {
      reason: foreign ? "epoch_mismatch" : "cursor_ahead_of_log",
      epoch: log.epoch,
      position: head,
    };
    res.end(`retry: ${settings.retryMs}\nevent: reset\ndata: ${JSON.stringify(reset)}\n\n`);
    return;
  }
  res.write(`retry: ${settings.retryMs}\n: epoch ${log.epoch}\n\n`);

  // `scanned` may run ahead of the last id sent when filters skip events.
  let scanned = request.after;
  while (!closed.aborted) {
    // At the head there is no page to read: a query per subscriber per commit would find nothing.
    if (scanned < log.commits.position) {
      const page = shared.pages.read({
        after: scanned,
        limit: settings.pageSize,
        streams: request.streams,
        types: request.types,
      });
      scanned = page.scannedTo;
      if (page.chunk) {
        if (!res.write(page.chunk))
          await once(res, "drain", { signal: closed }).catch(() => undefined);
        continue;
      }
    }
    const outcome = await shared.waiters.wait(scanned, settings.heartbeatMs, closed);
    if (outcome === "timeout" && !closed.aborted) res.write(": heartbeat\n\n");
  }
}
