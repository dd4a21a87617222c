import type { EventLog } from "../../log/event-log.js";
import { readEventsBatch } from "../../log/read-events-batch.js";
import { encodeEventJson } from "../../log/stored-event.js";
import type { WebhookSource } from "./webhook-source.js";

/** The engine's event log as the webhook reads it: encoded pages by position, commit notifications. */
export function logWebhookSource(
  log: Pick<EventLog, "db" | "catalogue" | "commits">,
): WebhookSource {
  return {
    readAfter: (position, limit) =>
      readEventsBatch(log.db, { after: position, limit }).map((row) => ({
        position: row.position,
        json: encodeEventJson(log.catalogue, row),
      })),
    lastPosition: () => log.commits.position,
    onCommit: (listener) => log.commits.subscribe(listener),
  };
}
