import { MAX_TIMER_DELAY_MS } from "../max-timer-delay.js";

/** Timers of the upstream workers; tests inject their own clock and timers. */
export interface Scheduler {
  now(): number;
  /** Runs `task` after `ms`; the returned function cancels it. */
  after(ms: number, task: () => void): () => void;
}

/** Real timers that never keep the process alive on their own (background retries and refreshes). */
export const unrefScheduler: Scheduler = {
  now: () => Date.now(),
  after(ms, task) {
    // A credential expiring months ahead would otherwise refresh after 1 ms, again and again.
    // Firing ~24.8 days early instead is harmless: the refresh just plans the next one.
    const timer = setTimeout(task, Math.min(ms, MAX_TIMER_DELAY_MS));
    timer.unref();
    return () => clearTimeout(timer);
  },
};
