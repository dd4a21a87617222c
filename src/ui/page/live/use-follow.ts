import { useEffect, useState } from "preact/hooks";
import type { EngineEvent } from "../../../events/catalogue.js";
import { useEngine } from "../engine-context.js";
import { follow } from "./follow.js";
import type { Batch } from "./live-log.js";

export const errorText = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

export interface Followed<T> {
  store: T;
  loaded: boolean;
  error: string | null;
}

/**
 * A store loaded from snapshots and folded forward by the live stream; the component renders
 * again after the snapshot and after each batch that changed the store.
 */
export function useFollowed<T>(
  create: () => T,
  load: (store: T) => Promise<void>,
  apply: (store: T, batch: Batch) => boolean,
  deps: unknown[],
): Followed<T> {
  const { live } = useEngine();
  const [state, setState] = useState<Followed<T> & { tick: number }>(() => ({
    store: create(),
    loaded: false,
    error: null,
    tick: 0,
  }));
  useEffect(() => {
    const store = create();
    let tick = 0;
    setState({ store, loaded: false, error: null, tick });
    return follow(live, () => load(store), {
      snapshot: () => setState({ store, loaded: true, error: null, tick: ++tick }),
      events: (batch) => {
        if (apply(store, batch)) setState((s) => ({ ...s, tick: ++tick }));
      },
      failed: (error) => setState({ store, loaded: false, error: errorText(error), tick: ++tick }),
    });
  }, deps);
  return state;
}

/**
 * A snapshot fetched again when events it depends on arrive, at most once per `gapMs` (the
 * actors while a turn streams, the workspace after a rescan).
 */
export function useRefreshed<T>(
  load: () => Promise<T>,
  relevant: (event: EngineEvent) => boolean,
  gapMs: number,
  deps: unknown[] = [],
): { value: T | null; error: string | null; refresh: () => void } {
  const { live } = useEngine();
  const [state, setState] = useState<{ value: T | null; error: string | null }>({
    value: null,
    error: null,
  });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    let closed = false;
    let running = false;
    let dirty = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      if (running || timer) {
        dirty = true;
        return;
      }
      timer = setTimeout(() => {
        timer = undefined;
        void run();
      }, gapMs);
    };
    const run = async () => {
      running = true;
      dirty = false;
      try {
        const value = await load();
        if (!closed) setState({ value, error: null });
      } catch (error) {
        if (!closed) setState((s) => ({ value: s.value, error: errorText(error) }));
      }
      running = false;
      if (dirty && !closed) {
        dirty = false;
        schedule();
      }
    };
    // A refused login is the App's to handle: it brings the login back.
    live.ready.then(run, () => undefined);
    const off = live.subscribe((batch) => {
      if (batch.some(relevant)) schedule();
    });
    return () => {
      closed = true;
      clearTimeout(timer);
      off();
    };
  }, [...deps, nonce]);
  return { ...state, refresh: () => setNonce((n) => n + 1) };
}
