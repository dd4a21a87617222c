import { type ChatDoc, chatsProjection } from "../../../../projections/chats.js";
import { handledBy } from "../../../../projections/projection.js";
import type { Batch } from "../live/live-log.js";

/**
 * The chats as GET /chats lists them, kept current by folding the live events with the
 * engine's own projection: the page and the engine cannot disagree on what an event means.
 * The list is loaded a page at a time, each page at its own position: each chat skips the
 * events its page reflected already.
 */
export class ChatList {
  private readonly chats = new Map<string, { chat: ChatDoc; asOf: number }>();
  /** Where a chat no page listed starts: a chat created later than the last page. */
  private asOf = 0;
  version = 0;

  /** Every page, in order (the last one's `next` is null). */
  load(pages: readonly { position: number; chats: ChatDoc[] }[]): void {
    this.chats.clear();
    for (const page of pages)
      for (const chat of page.chats) this.chats.set(chat.chatId, { chat, asOf: page.position });
    this.asOf = pages.at(-1)?.position ?? 0;
    this.version++;
  }

  apply(batch: Batch): boolean {
    let changed = false;
    for (const event of batch) {
      if (!handledBy(chatsProjection)(event)) continue;
      for (const { id } of chatsProjection.documentsOf(event)) {
        const known = this.chats.get(id);
        if (event.position <= (known?.asOf ?? this.asOf)) continue;
        const next = chatsProjection.evolve(known?.chat ?? null, event);
        if (next && next.status !== "deleted")
          this.chats.set(id, { chat: next, asOf: event.position });
        else this.chats.delete(id);
        changed = true;
      }
    }
    if (changed) this.version++;
    return changed;
  }

  /** Newest first. */
  list(): ChatDoc[] {
    return [...this.chats.values()]
      .map(({ chat }) => chat)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  get(chatId: string): ChatDoc | undefined {
    return this.chats.get(chatId)?.chat;
  }
}
