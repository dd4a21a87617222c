import type { EncodedEvent } from "./webhook-source.js";

export interface BatchLimits {
  maxEvents: number;
  maxBytes: number;
}

export interface WebhookBatch {
  /** The request body, at most `maxBytes` unless a single event alone is larger. */
  body: string;
  count: number;
  fromPosition: number;
  toPosition: number;
}

/**
 * Builds the request body from encoded events in log order, stopping before the one that would
 * cross the byte limit. An event larger than the limit on its own goes alone: delivery is
 * at-least-once, so it can be neither split nor skipped.
 */
export function buildWebhookBatch(
  workspaceId: string,
  events: readonly EncodedEvent[],
  limits: BatchLimits,
): WebhookBatch | null {
  const first = events[0];
  if (!first) return null;
  const head = `{"workspaceId":${JSON.stringify(workspaceId)},"events":[`;
  const tail = "]}";
  const parts: string[] = [];
  let bytes = Buffer.byteLength(head) + Buffer.byteLength(tail);
  let last = first;
  for (const event of events.slice(0, limits.maxEvents)) {
    const added = Buffer.byteLength(event.json) + (parts.length > 0 ? 1 : 0);
    if (parts.length > 0 && bytes + added > limits.maxBytes) break;
    parts.push(event.json);
    bytes += added;
    last = event;
  }
  return {
    body: `${head}${parts.join(",")}${tail}`,
    count: parts.length,
    fromPosition: first.position,
    toPosition: last.position,
  };
}
