import { performance } from "node:perf_hooks";
import type { EngineClient } from "../../src/client/engine-client.js";
import type { EngineEvent, EventOf, EventType } from "../../src/events/catalogue.js";

/** An event as the test saw it arrive, with the arrival time (performance.now()). */
export type Arrived<T extends EventType = EventType> = EventOf<T> & { arrivedAt: number };

export interface EventFeed {
  /** Every event received so far, in log order. */
  readonly events: readonly Arrived[];
  /** The first event of `type` (or one of `types`) matching `match`, received or to come. */
  waitFor<T extends EventType>(
    type: T | readonly T[],
    match?: (event: EventOf<T>) => boolean,
    timeoutMs?: number,
  ): Promise<Arrived<T>>;
  stop(): Promise<void>;
}

/**
 * The engine's SSE stream read the way a control plane reads it, through `EngineClient.events()`,
 * kept open for the whole test: it reconnects by itself across engine restarts.
 */
export function openEventFeed(client: EngineClient): EventFeed {
  const events: Arrived[] = [];
  const wakers = new Set<() => void>();
  const abort = new AbortController();
  let failure: unknown = null;
  const reading = (async () => {
    for await (const item of client.events({ signal: abort.signal })) {
      if (item.kind === "reset") throw new Error(`the event stream was reset: ${item.reason}`);
      events.push({ ...item.event, arrivedAt: performance.now() } as Arrived);
      for (const wake of wakers) wake();
    }
  })().catch((error: unknown) => {
    if (!abort.signal.aborted) failure = error;
    for (const wake of wakers) wake();
  });

  const find = <T extends EventType>(types: readonly T[], match: (event: EventOf<T>) => boolean) =>
    events.find((e) => (types as readonly string[]).includes(e.type) && match(e as never)) as
      | Arrived<T>
      | undefined;

  return {
    events,
    waitFor: (type, match = () => true, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = find(typeof type === "string" ? [type] : type, match);
          if (found) {
            done();
            resolve(found);
          } else if (failure) {
            done();
            reject(failure);
          }
        };
        const timer = setTimeout(() => {
          done();
          const seen = events.map((e: EngineEvent) => e.type).join(", ");
          reject(new Error(`no ${String(type)} event within ${timeoutMs} ms; seen: ${seen}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          wakers.delete(check);
        };
        wakers.add(check);
        check();
      }),
    stop: async () => {
      abort.abort();
      await reading;
    },
  };
}
