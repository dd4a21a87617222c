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

/**
 * An entry as its document stores it. A final item is already in the log, in the event that
 * carries it (`chat.turn.started`, `chat.item.added`): the document holds that event's position
 * instead of a second copy, and readers resolve it (`resolveEntry`). A streaming item's text is
 * in the log too, in its deltas: the document names where they start (`deltasFrom`, a version of
 * the stream that carries them) and its last position is the last delta's, so readers gather the
 * text from the log (`streamedText`) and a long item costs no text writes at all.
 */
export type HistoryDoc =
  | (HistoryEntry & { status: "streaming"; deltasFrom: { stream: string; version: number } })
  | (Omit<HistoryEntry, "item"> & { status: "final"; itemAt: number });

/** The item an event puts in the history as final; undefined for any other event. */
export function itemOf(event: EngineEvent): CanonicalItem | undefined {
  if (event.type === "chat.turn.started") {
    return {
      type: "user_message",
      text: event.data.text,
      ...(event.data.attachments ? { attachments: event.data.attachments } : {}),
    };
  }
  return event.type === "chat.item.added" ? event.data.item : undefined;
}

/**
 * The history fold. It reads no more of the entry than its presence and `recordedAt`, so the
 * inspector folds its resolved entries through it too (`D` is then `HistoryEntry`).
 */
export function evolveHistory<D extends HistoryDoc | HistoryEntry>(
  doc: D | null,
  event: EngineEvent,
): D | HistoryDoc | null {
  switch (event.type) {
    case "chat.turn.started":
      return {
        itemId: event.data.messageId,
        turnId: event.data.turnId,
        status: "final",
        itemAt: event.position,
        recordedAt: event.recordedAt,
      };
    case "chat.item.delta": {
      // A streaming entry keeps its shape (its text is in its deltas), and a late delta never
      // reopens an item that is already final.
      if (doc) return doc;
      const { itemId, turnId, kind } = event.data;
      return {
        itemId,
        turnId,
        status: "streaming",
        item: { type: kind, text: "" },
        recordedAt: event.recordedAt,
        deltasFrom: { stream: event.stream, version: event.streamVersion },
      };
    }
    case "chat.item.added":
      return {
        itemId: event.data.itemId,
        turnId: event.data.turnId,
        status: "final",
        itemAt: event.position,
        recordedAt: doc?.recordedAt ?? event.recordedAt,
      };
    default:
      return doc;
  }
}

/**
 * The entry a document stands for, its final item read from the event it refers to (a streaming
 * one as stored, its text for the caller to fill in: `withStreamedText`). The keys keep the order
 * the entries always had on the wire.
 */
export function resolveEntry(
  doc: HistoryDoc | HistoryEntry,
  eventAt: (position: number) => EngineEvent | undefined,
): HistoryEntry {
  if (!("itemAt" in doc)) {
    const { itemId, turnId, status, item, recordedAt } = doc;
    return { itemId, turnId, status, item, recordedAt };
  }
  const event = eventAt(doc.itemAt);
  const item = event && itemOf(event);
  if (!item) {
    throw new Error(
      `history entry ${doc.itemId} refers to position ${doc.itemAt}, which holds no history item`,
    );
  }
  const { itemId, turnId, status, recordedAt } = doc;
  return { itemId, turnId, status, item, recordedAt };
}

export const chatHistoryProjection: Projection<HistoryDoc> = {
  name: "chat-history",
  version: 4,
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
  evolve: evolveHistory,
  dropsGroup: (event) => (event.type === "chat.deleted" ? event.data.chatId : null),
};

/** An entry as readers see it: a streaming entry's text is its deltas' texts, in order. */
export function withStreamedText(entry: HistoryEntry, texts: readonly string[]): HistoryEntry {
  if (entry.status !== "streaming" || !("text" in entry.item)) return entry;
  return { ...entry, item: { ...entry.item, text: texts.join("") } };
}

/**
 * The texts of a streaming item's deltas, in order: its stream's events from its first delta up
 * to its document's last position (the last delta it folded).
 */
export function streamedText(
  reader: Pick<ReadModelReader, "streamEvents">,
  { deltasFrom, itemId }: Extract<HistoryDoc, { status: "streaming" }>,
  lastPosition: number,
): string[] {
  return reader
    .streamEvents(deltasFrom.stream, deltasFrom.version, lastPosition)
    .flatMap((event) =>
      event.type === "chat.item.delta" && event.data.itemId === itemId ? [event.data.text] : [],
    );
}

/**
 * An entry as readers show it. One still streaming when its turn is no longer the chat's current
 * one (the turn failed or was interrupted, or its agent never sent the final item) will never
 * grow: it is final, with the text it has. `currentTurnId` is the chat's open turn, if any.
 */
export function settledEntry<E extends HistoryEntry>(entry: E, currentTurnId: string | null): E {
  return entry.status === "streaming" && entry.turnId !== currentTurnId
    ? { ...entry, status: "final" }
    : entry;
}

/**
 * GET /chats/:chatId/history: the entries that first appeared after `after`, with that position,
 * settled against the chat's open turn (`settledEntry`).
 */
export function readHistoryPage(
  reader: ReadModelReader,
  chatId: string,
  after: number,
  limit: number,
  currentTurnId: string | null,
): (HistoryEntry & { position: number })[] {
  const docs = reader.listGroupPage(chatHistoryProjection, chatId, after, limit);
  const events = reader.eventsAt(docs.flatMap((d) => ("itemAt" in d.data ? [d.data.itemAt] : [])));
  return docs.map((d) => {
    const entry = resolveEntry(d.data, (position) => events.get(position));
    const full =
      "deltasFrom" in d.data
        ? withStreamedText(entry, streamedText(reader, d.data, d.lastPosition))
        : entry;
    return { position: d.firstPosition, ...settledEntry(full, currentTurnId) };
  });
}
