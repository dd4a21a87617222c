/**
 * A committed event as the webhook sends it: its position, and its envelope as the log encodes
 * it for every reader (`encodeEventJson`: the same bytes as an SSE frame's data).
 */
export interface EncodedEvent {
  position: number;
  json: string;
}

/** The part of the event log the webhook reads. The engine adapts its log to it. */
export interface WebhookSource {
  /** Committed events with position > `position`, in log order, at most `limit`. */
  readAfter(position: number, limit: number): EncodedEvent[];
  lastPosition(): number;
  /** Called after each commit with its last position; returns an unsubscribe function. */
  onCommit(listener: (position: number) => void): () => void;
}

/** Durable consumer cursors (0 when the consumer never saved one). */
export interface CheckpointStore {
  load(name: string): number;
  save(name: string, position: number): void;
}
