/** An event as the log hands it to the webhook (the log's real field names). */
export interface EngineEventLike {
  position: number;
  eventId: string;
  stream: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  recordedAt: string;
}

/** The part of the event log the webhook reads. The engine adapts its log to it. */
export interface WebhookSource {
  /** Committed events with position > `position`, in log order, at most `limit`. */
  readAfter(position: number, limit: number): EngineEventLike[];
  lastPosition(): number;
  /** Called after each commit with its last position; returns an unsubscribe function. */
  onCommit(listener: (position: number) => void): () => void;
}

/** Durable consumer cursors (0 when the consumer never saved one). */
export interface CheckpointStore {
  load(name: string): number;
  save(name: string, position: number): void;
}
