import type { CommitNotifier } from "../log/commit-notifier.js";

/**
 * Parks idle subscribers until the log moves past a position. One listener on the log serves
 * every waiter, so a thousand idle streams cost a thousand resolvers, not a thousand listeners.
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

  /** Resolves "commit" once the log is past `position`, or "timeout"/"closed" first. */
  wait(
    position: number,
    timeoutMs: number,
    closed: Promise<void>,
  ): Promise<"commit" | "timeout" | "closed"> {
    if (this.commits.position > position) return Promise.resolve("commit");
    return new Promise((resolve) => {
      const done = (outcome: "commit" | "timeout" | "closed") => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        resolve(outcome);
      };
      const wake = () => done("commit");
      const timer = setTimeout(() => done("timeout"), timeoutMs);
      this.waiting.add(wake);
      closed.then(() => done("closed"));
    });
  }
}
