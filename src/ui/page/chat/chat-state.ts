import {
  chatHistoryProjection,
  evolveHistory,
  type HistoryEntry,
  resolveEntry,
  withStreamedText,
} from "../../../../projections/chat-history.js";
import {
  chatMessagesProjection,
  type MessageStatus,
  messageDocId,
} from "../../../../projections/chat-messages.js";
import type { ChatView } from "../../../../projections/chats.js";
import { type ChatDoc, chatsProjection } from "../../../../projections/chats.js";
import { handledBy } from "../../../../projections/projection.js";
import type { Batch } from "../live/live-log.js";

export type Entry = HistoryEntry & { position: number };

/**
 * One chat as the page shows it: its document, its messages' states and its history, each from
 * a snapshot and then folded forward with the engine's own projections. Every history document
 * remembers the position of the page it came from, so an event is applied exactly once even
 * though the history arrives in several pages taken at different positions.
 */
export class ChatState {
  chat: ChatDoc | null = null;
  private chatAsOf = 0;
  readonly messages = new Map<string, MessageStatus>();
  readonly entries: Entry[] = [];
  private readonly index = new Map<string, number>();
  private readonly asOf = new Map<string, number>();
  version = 0;

  constructor(readonly chatId: string) {}

  loadChat(snapshot: { position: number; chat: ChatView }): void {
    const { messages, ...chat } = snapshot.chat;
    this.chat = chat;
    this.chatAsOf = snapshot.position;
    for (const message of messages)
      this.messages.set(messageDocId(this.chatId, message.messageId), message);
    this.version++;
  }

  loadHistory(page: { position: number; items: Entry[] }): void {
    for (const item of page.items) {
      const id = `${this.chatId}/${item.itemId}`;
      this.put(id, item);
      this.asOf.set(id, page.position);
    }
    this.version++;
  }

  apply(batch: Batch): boolean {
    let changed = false;
    for (const event of batch) {
      if (!("chatId" in event.data) || event.data.chatId !== this.chatId) continue;
      if (event.position > this.chatAsOf) {
        if (handledBy(chatsProjection)(event)) this.chat = chatsProjection.evolve(this.chat, event);
        for (const { id } of chatMessagesProjection.documentsOf(event)) {
          const next = chatMessagesProjection.evolve(this.messages.get(id) ?? null, event);
          if (next) this.messages.set(id, next);
        }
        changed = true;
      }
      for (const { id } of chatHistoryProjection.documentsOf(event)) {
        if ((this.asOf.get(id) ?? 0) >= event.position) continue;
        const at = this.index.get(id);
        const current = at === undefined ? null : (this.entries[at] ?? null);
        const evolved = evolveHistory(current, event);
        if (!evolved) continue;
        // A final item is stored as the position of its event: the page has that event in hand.
        const next = resolveEntry(evolved, (p) => (p === event.position ? event : undefined));
        // A streaming item's text is its deltas' (the engine reads them back from the log); here
        // each delta adds its text to what the entry has.
        const entry =
          event.type === "chat.item.delta"
            ? withStreamedText(next, ["text" in next.item ? next.item.text : "", event.data.text])
            : next;
        this.put(id, { ...entry, position: current?.position ?? event.position });
        changed = true;
      }
    }
    if (changed) this.version++;
    return changed;
  }

  /** The state of the message a user_message entry stands for. */
  messageState(messageId: string): MessageStatus | undefined {
    return this.messages.get(messageDocId(this.chatId, messageId));
  }

  private put(id: string, entry: Entry): void {
    const at = this.index.get(id);
    if (at !== undefined) {
      this.entries[at] = entry;
      return;
    }
    this.index.set(id, this.entries.length);
    this.entries.push(entry);
  }
}
