import type { EngineEvent } from "../src/events/catalogue.js";
import type { TurnError } from "../src/events/chat-events.js";
import type { Projection } from "./projection.js";
import type { ReadModelReader } from "./read-model-reader.js";

export type MessageState =
  | "queued"
  | "started"
  | "completed"
  | "interrupted"
  | "failed"
  | "dropped";

/** One message's state, a document of its own in the group of its chat. */
export interface MessageStatus {
  messageId: string;
  state: MessageState;
  turnId: string | null;
  queuedAt: string;
  startedAt: string | null;
  endedAt: string | null;
  error: TurnError | null;
}

export const messageDocId = (chatId: string, messageId: string) => `${chatId}/${messageId}`;

function ended(
  doc: MessageStatus | null,
  at: string,
  state: MessageState,
  error: TurnError | null,
) {
  return doc && { ...doc, state, endedAt: at, error };
}

function evolve(doc: MessageStatus | null, event: EngineEvent): MessageStatus | null {
  const at = event.recordedAt;
  switch (event.type) {
    case "chat.message.queued":
      return {
        messageId: event.data.messageId,
        state: "queued",
        turnId: null,
        queuedAt: at,
        startedAt: null,
        endedAt: null,
        error: null,
      };
    case "chat.message.dropped":
      return ended(doc, at, "dropped", null);
    case "chat.turn.started":
      return doc && { ...doc, state: "started", turnId: event.data.turnId, startedAt: at };
    case "chat.turn.completed":
      return ended(doc, at, "completed", null);
    case "chat.turn.failed":
      return ended(doc, at, "failed", event.data.error);
    case "chat.turn.interrupted":
      return ended(doc, at, "interrupted", null);
    default:
      return doc;
  }
}

/** The state of every message of every chat: queued, started, then how it ended. */
export const chatMessagesProjection: Projection<MessageStatus> = {
  name: "chat-messages",
  version: 1,
  cached: false,
  handles: [
    "chat.message.queued",
    "chat.message.dropped",
    "chat.turn.started",
    "chat.turn.completed",
    "chat.turn.failed",
    "chat.turn.interrupted",
    "chat.deleted",
  ],
  documentsOf(event) {
    switch (event.type) {
      case "chat.message.queued":
      case "chat.message.dropped":
      case "chat.turn.started":
      case "chat.turn.completed":
      case "chat.turn.failed":
      case "chat.turn.interrupted":
        return [
          { id: messageDocId(event.data.chatId, event.data.messageId), group: event.data.chatId },
        ];
      default:
        return [];
    }
  },
  evolve,
  dropsGroup: (event) => (event.type === "chat.deleted" ? event.data.chatId : null),
};

/** A message's state; undefined when its chat never had it (or was deleted with it). */
export const readMessageStatus = (
  reader: ReadModelReader,
  chatId: string,
  messageId: string,
): MessageStatus | undefined => reader.get(chatMessagesProjection, messageDocId(chatId, messageId));

/** The states of a chat's `limit` newest messages, oldest first. */
export const readRecentMessages = (
  reader: ReadModelReader,
  chatId: string,
  limit: number,
): MessageStatus[] => reader.latestInGroup(chatMessagesProjection, chatId, limit);
