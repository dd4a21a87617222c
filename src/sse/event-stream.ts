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

  const waiter = shared.waiters.waiter();
  closed.addEventListener("abort", waiter.release, { once: true });
  const heartbeat = heartbeatAfterSilence(res, settings.heartbeatMs);
  closed.addEventListener("abort", heartbeat.stop, { once: true });

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
        heartbeat.wrote();
        if (!res.write(page.chunk))
          await once(res, "drain", { signal: closed }).catch(() => undefined);
        continue;
      }
    }
    await waiter.wait(scanned);
  }
}

/**
 * A comment once the stream has sent nothing for `ms` (proxies close silent connections). One
 * timer for the stream's life: a write only notes the time, and the timer, when it fires early,
 * re-arms itself for the rest of the silence. Events a filter skipped are not sent, so a busy
 * log does not keep a filtered stream's heartbeat away.
 */
function heartbeatAfterSilence(res: ServerResponse, ms: number) {
  let lastWrite = Date.now();
  const beat = () => {
    // A socket still draining a page is not silent: the comment would only queue behind it.
    if (res.writableNeedDrain) lastWrite = Date.now();
    const silent = Date.now() - lastWrite;
    if (silent >= ms) {
      res.write(": heartbeat\n\n");
      lastWrite = Date.now();
    }
    timer = setTimeout(beat, silent >= ms ? ms : ms - silent);
  };
  let timer = setTimeout(beat, ms);
  return {
    wrote: () => {
      lastWrite = Date.now();
    },
    stop: () => clearTimeout(timer),
  };
}
