import type { EngineClient } from "../../../client/engine-client.js";
import type { EngineEvent } from "../../../events/catalogue.js";

export type LiveState = "connecting" | "live" | "reconnecting" | "reset" | "stopped";
export type Batch = readonly EngineEvent[];

/**
 * The page's one event stream: the typed client's /events reader (it resumes by Last-Event-ID
 * after a drop, so nothing is missed), from the log's head at login. Events are handed to the
 * views in batches, one per animation frame, so 1,000 events a second cost ~60 renders.
 */
export class LiveLog {
  /** The last position handed to the views. */
  position = 0;
  epoch = "";
  state: LiveState = "connecting";
  /** Resolves once the stream's starting position is known: a view's snapshot taken after it leaves no gap. */
  readonly ready: Promise<void>;
  private readonly listeners = new Set<(batch: Batch) => void>();
  private readonly stateListeners = new Set<() => void>();
  private readonly abort = new AbortController();
  private pending: EngineEvent[] = [];
  private scheduled = false;

  constructor(private readonly client: EngineClient) {
    this.ready = this.run();
  }

  private async run(): Promise<void> {
    const status = await this.client.status();
    this.position = status.position;
    this.epoch = status.epoch;
    this.setState("live");
    // The reader gives up only when the engine refuses the stream (a secret no longer valid).
    this.follow().catch(() => this.setState("stopped"));
  }

  private async follow(): Promise<void> {
    const stream = this.client.events({
      after: this.position,
      epoch: this.epoch,
      signal: this.abort.signal,
      onReconnect: () => this.setState("reconnecting"),
    });
    for await (const item of stream) {
      if (item.kind === "reset") {
        this.setState("reset");
        return;
      }
      if (this.state !== "live") this.setState("live");
      this.pending.push(item.event);
      this.schedule();
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // A hidden tab gets no animation frames: the timer keeps its batches flowing.
    const timer = setTimeout(() => this.flush(), 250);
    requestAnimationFrame(() => {
      clearTimeout(timer);
      this.flush();
    });
  }

  private flush(): void {
    if (!this.scheduled) return;
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    const last = batch.at(-1);
    if (last) this.position = last.position;
    for (const listener of this.listeners) listener(batch);
  }

  subscribe(listener: (batch: Batch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onState(listener: () => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private setState(state: LiveState): void {
    this.state = state;
    for (const listener of this.stateListeners) listener();
  }

  close(): void {
    this.abort.abort();
    this.listeners.clear();
    this.stateListeners.clear();
  }
}
