import { type ChatDoc, chatsProjection } from "../../../../projections/chats.js";
import { handledBy } from "../../../../projections/projection.js";
import type { Batch } from "../live/live-log.js";

/**
 * The chats as GET /chats lists them, kept current by folding the live events with the
 * engine's own projection: the page and the engine cannot disagree on what an event means.
 */
export class ChatList {
  private readonly chats = new Map<string, ChatDoc>();
  private asOf = 0;
  version = 0;

  load(snapshot: { position: number; chats: ChatDoc[] }): void {
    this.chats.clear();
    for (const chat of snapshot.chats) this.chats.set(chat.chatId, chat);
    this.asOf = snapshot.position;
    this.version++;
  }

  apply(batch: Batch): boolean {
    let changed = false;
    for (const event of batch) {
      if (event.position <= this.asOf || !handledBy(chatsProjection)(event)) continue;
      for (const { id } of chatsProjection.documentsOf(event)) {
        const next = chatsProjection.evolve(this.chats.get(id) ?? null, event);
        if (next && next.status !== "deleted") this.chats.set(id, next);
        else this.chats.delete(id);
        changed = true;
      }
    }
    if (changed) this.version++;
    return changed;
  }

  /** Newest first. */
  list(): ChatDoc[] {
    return [...this.chats.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  get(chatId: string): ChatDoc | undefined {
    return this.chats.get(chatId);
  }
}
