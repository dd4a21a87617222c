import type { CanonicalItem } from "../src/events/canonical-item.js";
import type { EngineEvent } from "../src/events/catalogue.js";
import type { Projection } from "./projection.js";
import type { ReadModelReader } from "./read-model-reader.js";

/** One entry of a chat's history: a final item, or one whose text is still streaming. */
export interface HistoryEntry {
  itemId: string;
  turnId: string;
  status: "streaming" | "final";
  item: CanonicalItem;
  recordedAt: string;
}

function evolve(doc: HistoryEntry | null, event: EngineEvent): HistoryEntry | null {
  switch (event.type) {
    case "chat.turn.started":
      return {
        itemId: event.data.messageId,
        turnId: event.data.turnId,
        status: "final",
        item: { type: "user_message", text: event.data.text },
        recordedAt: event.recordedAt,
      };
    case "chat.item.delta": {
      const { itemId, turnId, kind, text } = event.data;
      // A late delta never reopens an item that is already final.
      if (doc?.status === "final") return doc;
      const previous = doc && "text" in doc.item ? doc.item.text : "";
      return {
        itemId,
        turnId,
        status: "streaming",
        item: { type: kind, text: previous + text },
        recordedAt: doc?.recordedAt ?? event.recordedAt,
      };
    }
    case "chat.item.added":
      return {
        itemId: event.data.itemId,
        turnId: event.data.turnId,
        status: "final",
        item: event.data.item,
        recordedAt: doc?.recordedAt ?? event.recordedAt,
      };
    default:
      return doc;
  }
}

export const chatHistoryProjection: Projection<HistoryEntry> = {
  name: "chat-history",
  version: 1,
  cached: false,
  handles: ["chat.turn.started", "chat.item.delta", "chat.item.added", "chat.deleted"],
  documentsOf(event) {
    switch (event.type) {
      case "chat.turn.started":
        return [{ id: `${event.data.chatId}/${event.data.messageId}`, group: event.data.chatId }];
      case "chat.item.delta":
      case "chat.item.added":
        return [{ id: `${event.data.chatId}/${event.data.itemId}`, group: event.data.chatId }];
      default:
        return [];
    }
  },
  evolve,
  dropsGroup: (event) => (event.type === "chat.deleted" ? event.data.chatId : null),
};

/** GET /chats/:chatId/history: the entries that first appeared after `after`, with that position. */
export const readHistoryPage = (
  reader: ReadModelReader,
  chatId: string,
  after: number,
  limit: number,
): (HistoryEntry & { position: number })[] =>
  reader
    .listGroupPage(chatHistoryProjection, chatId, after, limit)
    .map((d) => ({ position: d.firstPosition, ...d.data }));
