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

  /**
   * Resolves "commit" once the log is past `position`, or "timeout"/"closed" first. Everything
   * it registers is removed when it resolves, so a stream that waits millions of times over its
   * life holds nothing from earlier waits.
   */
  wait(
    position: number,
    timeoutMs: number,
    closed: AbortSignal,
  ): Promise<"commit" | "timeout" | "closed"> {
    if (closed.aborted) return Promise.resolve("closed");
    if (this.commits.position > position) return Promise.resolve("commit");
    return new Promise((resolve) => {
      const done = (outcome: "commit" | "timeout" | "closed") => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        closed.removeEventListener("abort", onClose);
        resolve(outcome);
      };
      const wake = () => done("commit");
      const onClose = () => done("closed");
      const timer = setTimeout(() => done("timeout"), timeoutMs);
      this.waiting.add(wake);
      closed.addEventListener("abort", onClose, { once: true });
    });
  }
}
