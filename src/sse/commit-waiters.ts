import type { CommitNotifier } from "../log/commit-notifier.js";

/** One stream's place in the line of idle subscribers: it waits, and can be let go early. */
export interface HeadWaiter {
  /** Resolves once the log is past `position`, or when `release` is called first. */
  wait(position: number): Promise<void>;
  /** Ends the current wait now (the stream closed); a no-op when it is not waiting. */
  release(): void;
}

/**
 * Parks idle subscribers until the log moves past a position. One listener on the log serves
 * every waiter, so a thousand idle streams cost a thousand resolvers, not a thousand listeners.
 * A wait registers one resolver and nothing else: the stream's heartbeat timer and close
 * listener live as long as the stream, not one per wait (a streaming turn waits once per commit).
 */
export class CommitWaiters {
  private readonly waiting = new Set<() => void>();

  constructor(private readonly commits: CommitNotifier) {
    commits.subscribe(() => {
      const woken = [...this.waiting];
      this.waiting.clear();
      for (const wake of woken) wake();
    });
  }

  waiter(): HeadWaiter {
    let resolve: (() => void) | null = null;
    const wake = () => {
      const resolved = resolve;
      if (!resolved) return;
      resolve = null;
      this.waiting.delete(wake);
      resolved();
    };
    return {
      wait: (position) => {
        if (this.commits.position > position) return Promise.resolve();
        return new Promise((r) => {
          resolve = r;
          this.waiting.add(wake);
        });
      },
      release: wake,
    };
  }

  /** How many streams wait at the head now. */
  get size(): number {
    return this.waiting.size;
  }
}
