/** Tells in-process readers (SSE subscribers, consumers, exports) that events have committed. */
export class CommitNotifier {
  private readonly listeners = new Set<(position: number) => void>();

  /** The newest committed position: what a snapshot served now reflects. */
  constructor(public position: number) {}

  subscribe(listener: (position: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(position: number): void {
    this.position = position;
    for (const listener of this.listeners) listener(position);
  }
}
