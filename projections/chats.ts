import {
  type ChatRecord,
  type ChatState,
  type ChatStatus,
  createdChat,
  evolve as evolveChat,
} from "../actors/chat-state.js";
import type { EngineEvent, EventType } from "../src/events/catalogue.js";
import type { TurnError } from "../src/events/chat-events.js";
import { type MessageStatus, readRecentMessages } from "./chat-messages.js";
import type { Projection } from "./projection.js";
import type { ReadModelReader } from "./read-model-reader.js";

export type { ChatStatus, QueuedMessage } from "../actors/chat-state.js";

export interface ChatCounters {
  messages: number;
  turns: number;
  completed: number;
  failed: number;
  interrupted: number;
  items: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/**
 * A chat as the API serves it: the chat's own state (`evolve` of chat-state.ts, the same fold
 * the chat's actor keeps) and what only readers need (times, the last error, counters). Each
 * message's state is its own document (chat-messages.ts), so this one stays small however long
 * the chat runs: it is rewritten on every chat event.
 */
export interface ChatDoc extends ChatState {
  createdAt: string;
  updatedAt: string;
  lastError: TurnError | null;
  counters: ChatCounters;
}

type ChatDocEventType = Exclude<Extract<EventType, `chat.${string}`>, "chat.item.delta">;

const zeroCounters: ChatCounters = {
  messages: 0,
  turns: 0,
  completed: 0,
  failed: 0,
  interrupted: 0,
  items: 0,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
};

type Counter = keyof ChatCounters;
const counted: Partial<Record<EngineEvent["type"], Counter>> = {
  "chat.message.queued": "messages",
  "chat.turn.started": "turns",
  "chat.item.added": "items",
  "chat.turn.completed": "completed",
  "chat.turn.failed": "failed",
  "chat.turn.interrupted": "interrupted",
};

function evolve(doc: ChatDoc | null, event: EngineEvent): ChatDoc | null {
  const at = event.recordedAt;
  if (event.type === "chat.created") {
    return {
      ...createdChat(event.data),
      createdAt: at,
      updatedAt: at,
      lastError: null,
      counters: zeroCounters,
    };
  }
  if (!doc || !event.type.startsWith("chat.")) return doc;
  const state = evolveChat(doc, event as ChatRecord, at);
  const counter = counted[event.type];
  // An event that changes nothing (an interrupt of a turn already stopping) leaves no trace.
  if (state === doc && !counter) return doc;
  const next: ChatDoc = { ...state, updatedAt: at };
  if (counter) next.counters = { ...doc.counters, [counter]: doc.counters[counter] + 1 };
  if (event.type === "chat.turn.completed") {
    const { usage, costUsd } = event.data;
    next.counters = {
      ...next.counters,
      inputTokens: next.counters.inputTokens + (usage?.inputTokens ?? 0),
      outputTokens: next.counters.outputTokens + (usage?.outputTokens ?? 0),
      costUsd: next.counters.costUsd + (costUsd ?? 0),
    };
  }
  if (event.type === "chat.turn.failed") next.lastError = event.data.error;
  return next;
}

export const chatsProjection: Projection<ChatDoc, ChatDocEventType> = {
  name: "chats",
  version: 5,
  cached: true,
  // Every chat event but the streamed text: a chat's document stays put while an item streams.
  handles: [
    "chat.created",
    "chat.deleted",
    "chat.message.queued",
    "chat.message.dropped",
    "chat.turn.started",
    "chat.session.updated",
    "chat.item.added",
    "chat.turn.interrupting",
    "chat.turn.completed",
    "chat.turn.failed",
    "chat.turn.interrupted",
    "chat.approval.requested",
    "chat.approval.resolved",
  ],
  documentsOf: (event) => [{ id: event.data.chatId, group: "" }],
  evolve,
};

/** How many of a chat's messages its snapshot shows (the newest); the log keeps them all. */
export const RECENT_MESSAGES = 100;

/** A chat as GET /chats/:chatId serves it: its document and its recent messages' states. */
export type ChatView = ChatDoc & { messages: MessageStatus[] };

/** The chat's own document, when it exists and is not deleted (no messages' states). */
export function readLiveChat(reader: ReadModelReader, chatId: string): ChatDoc | undefined {
  const chat = reader.get(chatsProjection, chatId);
  return chat && chat.status !== "deleted" ? chat : undefined;
}

/** Every chat not deleted (the export file). */
export const readLiveChats = (reader: ReadModelReader): ChatDoc[] =>
  reader.list(chatsProjection).filter((chat) => chat.status !== "deleted");

/** A page of GET /chats: its chats, and the cursor after its last one when more follow. */
export interface ChatsPage {
  chats: ChatDoc[];
  next: number | null;
}

/**
 * GET /chats: the `limit` chats not deleted that were created after the cursor `after`, oldest
 * first. A chat's place is the position of its `chat.created` (its document's first position):
 * chat ids are never reused, so a chat keeps its place for good and every chat created later
 * comes after every cursor given so far. Paging through therefore never skips nor repeats a
 * chat, however many are created or deleted meanwhile. Reads one page of the chats' rows, and
 * more only past deleted chats.
 */
export function readLiveChatsPage(
  reader: ReadModelReader,
  after: number,
  limit: number,
): ChatsPage {
  const chats: ChatDoc[] = [];
  let cursor = after;
  for (;;) {
    // One more than the page holds: a live chat past its end says another page follows.
    const docs = reader.listGroupPage(chatsProjection, "", cursor, limit + 1);
    for (const doc of docs) {
      if (doc.data.status === "deleted") {
        cursor = doc.firstPosition;
        continue;
      }
      if (chats.length === limit) return { chats, next: cursor };
      chats.push(doc.data);
      cursor = doc.firstPosition;
    }
    if (docs.length <= limit) return { chats, next: null };
  }
}

/** GET /chats/:chatId: a chat not deleted, with its recent messages' states. */
export function readChatView(reader: ReadModelReader, chatId: string): ChatView | undefined {
  const chat = readLiveChat(reader, chatId);
  return chat && { ...chat, messages: readRecentMessages(reader, chatId, RECENT_MESSAGES) };
}

/** How many chats are in each status, deleted ones included (GET /status). */
export function readChatCounts(reader: ReadModelReader): Record<ChatStatus, number> {
  const counts: Record<ChatStatus, number> = {
    idle: 0,
    running: 0,
    awaiting_approval: 0,
    interrupting: 0,
    deleted: 0,
  };
  for (const chat of reader.list(chatsProjection)) counts[chat.status]++;
  return counts;
}

/** The chats that are not deleted, whatever they are doing (waiting on an approval included). */
export function liveChats(counts: Record<ChatStatus, number>): number {
  let live = 0;
  for (const [status, count] of Object.entries(counts)) if (status !== "deleted") live += count;
  return live;
}
