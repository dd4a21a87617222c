import type { EngineEvent, NewEvent } from "../../src/events/catalogue.js";
import { appendToStream } from "../../src/log/append-to-stream.js";
import type { EventLog } from "../../src/log/event-log.js";
import { readEventsBatch } from "../../src/log/read-events-batch.js";
import { readStreamVersion } from "../../src/log/read-stream.js";
import { decodeEvent } from "../../src/log/stored-event.js";
import type { CredentialsEvent } from "../../src/upstream/credentials/credential-manager.js";
import type { WebhookEvent } from "../../src/upstream/webhook/webhook-consumer.js";

export const chatId = "upstream-chat";
export const chatStream = `chat:${chatId}`;

/**
 * Appends `count` real chat events to one chat, one commit each: its creation first, then queued
 * messages of varying length (so byte-bounded webhook batches hold varying counts).
 */
export function appendChatEvents(log: EventLog, count: number): void {
  for (let i = 0; i < count; i++) {
    const version = readStreamVersion(log, chatStream);
    const event: NewEvent =
      version === 0
        ? {
            type: "chat.created",
            data: { chatId, provider: "claude", title: null, cwd: "/workspace", settings: {} },
          }
        : {
            type: "chat.message.queued",
            data: {
              chatId,
              messageId: `m${version}`,
              text: `message ${version} ${"x".repeat(version % 300)}`,
              settings: {},
            },
          };
    const result = appendToStream(log, chatStream, [event], { expectedVersion: version });
    if (!result.ok) throw new Error(`append refused: ${JSON.stringify(result.error)}`);
  }
}

/**
 * The upstream workers' `record` as the engine wires it (upstream-feature.ts): one append to the
 * "upstream" stream, which the catalogue validates. A refused event throws, so the worker logs
 * it and the event is missing when the test reads the log back.
 */
export function recordInLog(log: EventLog): (event: WebhookEvent | CredentialsEvent) => void {
  return (event) => {
    const result = appendToStream(log, "upstream", [event as NewEvent]);
    if (!result.ok) throw new Error(`append refused: ${JSON.stringify(result.error)}`);
  };
}

/** Every event of the log, decoded. */
export function loggedEvents(log: EventLog): EngineEvent[] {
  return readEventsBatch(log.db, { after: 0, limit: Number.MAX_SAFE_INTEGER }).map((row) =>
    decodeEvent(log.catalogue, row),
  );
}
