import { createParser } from "eventsource-parser";
import type { EngineEvent } from "../events/catalogue.js";

export interface EventStreamOptions {
  /** Start after this position (a snapshot's position, for a gap-free view). */
  after?: number;
  chatId?: string;
  types?: string[];
  /** The epoch `after` belongs to; a mismatch ends the stream with a reset. */
  epoch?: string;
  signal?: AbortSignal;
  /** Called before each reconnect; tests use it to count them. */
  onReconnect?: (lastEventId: number) => void;
}

export type StreamItem =
  | { kind: "event"; event: EngineEvent }
  | { kind: "reset"; reason: string; epoch: string; position: number };

/** Waits `ms`, or less when the signal aborts; no node:timers, so the web page shares this reader. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Reads /events with eventsource-parser and, when the connection drops, reconnects with
 * Last-Event-ID after the server's retry hint: the caller sees every event once, in order.
 * A reset (cursor from another log) is yielded and ends the stream.
 */
export async function* streamEngineEvents(
  connection: { baseUrl: string; secret: string },
  options: EventStreamOptions,
): AsyncGenerator<StreamItem> {
  let lastEventId = options.after ?? 0;
  let retryMs = 1000;
  let epoch = options.epoch;
  for (let attempt = 0; !options.signal?.aborted; attempt++) {
    if (attempt > 0) {
      options.onReconnect?.(lastEventId);
      await pause(retryMs, options.signal);
      if (options.signal?.aborted) return;
    }
    const url = new URL("/events", connection.baseUrl);
    if (options.chatId) url.searchParams.set("chatId", options.chatId);
    if (options.types?.length) url.searchParams.set("types", options.types.join(","));
    const headers: Record<string, string> = {
      accept: "text/event-stream",
      "x-replicas-engine-secret": connection.secret,
      "last-event-id": String(lastEventId),
    };
    if (epoch) headers["x-replicas-epoch"] = epoch;
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: options.signal });
    } catch {
      continue;
    }
    if (!response.ok || !response.body) {
      if (response.status === 401 || response.status === 400) {
        throw new Error(
          `the engine refused the event stream: ${response.status} ${await response.text()}`,
        );
      }
      continue;
    }
    epoch = response.headers.get("x-replicas-epoch") ?? epoch;
    const pending: StreamItem[] = [];
    const parser = createParser({
      onRetry: (ms) => {
        retryMs = ms;
      },
      onEvent: (message) => {
        if (message.event === "reset") {
          pending.push({ kind: "reset", ...JSON.parse(message.data) });
          return;
        }
        pending.push({ kind: "event", event: JSON.parse(message.data) as EngineEvent });
      },
    });
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) {
        parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
        while (pending.length > 0) {
          const item = pending.shift() as StreamItem;
          if (item.kind === "reset") {
            yield item;
            return;
          }
          lastEventId = item.event.position;
          yield item;
        }
      }
    } catch {
      // The connection dropped mid-stream: resume from the last event handed out.
    }
  }
}
