import type { Batch, LiveLog } from "./live-log.js";

/**
 * A snapshot and the events after it, with no gap and no duplicate: subscribe first, take the
 * snapshot once the stream's start is known, then apply what arrived meanwhile. Each store skips
 * events its snapshot already reflects (it knows the snapshot's position).
 */
export function follow<S>(
  live: LiveLog,
  load: () => Promise<S>,
  handlers: { snapshot(value: S): void; events(batch: Batch): void; failed(error: unknown): void },
): () => void {
  let buffered: Batch[] | null = [];
  let closed = false;
  const off = live.subscribe((batch) => {
    if (buffered) buffered.push(batch);
    else handlers.events(batch);
  });
  live.ready
    .then(load)
    .then((value) => {
      if (closed) return;
      handlers.snapshot(value);
      const waiting = buffered ?? [];
      buffered = null;
      for (const batch of waiting) handlers.events(batch);
    })
    .catch((error: unknown) => {
      if (!closed) handlers.failed(error);
    });
  return () => {
    closed = true;
    off();
  };
}
