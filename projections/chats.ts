import type { EngineEvent, EventType } from "../src/events/catalogue.js";
import type { TurnError } from "../src/events/chat-events.js";
import type { ChatSettings, ProviderName } from "../src/events/chat-settings.js";
import { type MessageStatus, readRecentMessages } from "./chat-messages.js";
import type { Projection } from "./projection.js";
import type { ReadModelReader } from "./read-model-reader.js";

export type ChatStatus = "idle" | "running" | "interrupting" | "deleted";

export interface QueuedMessage {
  messageId: string;
  text: string;
  settings: ChatSettings;
  queuedAt: string;
}

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
 * A chat's own state. Each message's state is its own document (chat-messages.ts), so this one
 * stays small however long the chat runs: it is rewritten on every chat event.
 */
export interface ChatDoc {
  chatId: string;
  provider: ProviderName;
  title: string | null;
  cwd: string;
  settings: ChatSettings;
  status: ChatStatus;
  createdAt: string;
  updatedAt: string;
  /** The agent's own session/thread id, used to resume its conversation. */
  sessionId: string | null;
  currentTurn: { turnId: string; messageId: string; startedAt: string } | null;
  /** Messages waiting for their turn, in the order they run. */
  queue: QueuedMessage[];
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

function endTurn(
  doc: ChatDoc,
  event: EngineEvent,
  error: TurnError | null,
  counter: "completed" | "failed" | "interrupted",
): ChatDoc {
  return {
    ...doc,
    status: doc.status === "deleted" ? "deleted" : "idle",
    updatedAt: event.recordedAt,
    currentTurn: null,
    lastError: error ?? doc.lastError,
    counters: { ...doc.counters, [counter]: doc.counters[counter] + 1 },
  };
}

function evolve(doc: ChatDoc | null, event: EngineEvent): ChatDoc | null {
  if (event.type === "chat.created") {
    const d = event.data;
    return {
      chatId: d.chatId,
      provider: d.provider,
      title: d.title,
      cwd: d.cwd,
      settings: d.settings,
      status: "idle",
      createdAt: event.recordedAt,
      updatedAt: event.recordedAt,
      sessionId: null,
      currentTurn: null,
      queue: [],
      lastError: null,
      counters: zeroCounters,
    };
  }
  if (!doc) return null;
  const at = event.recordedAt;
  switch (event.type) {
    case "chat.deleted":
      return { ...doc, status: "deleted", updatedAt: at, queue: [] };
    case "chat.message.queued": {
      const { messageId, text, settings } = event.data;
      return {
        ...doc,
        updatedAt: at,
        queue: [...doc.queue, { messageId, text, settings, queuedAt: at }],
        counters: { ...doc.counters, messages: doc.counters.messages + 1 },
      };
    }
    case "chat.message.dropped":
      return {
        ...doc,
        updatedAt: at,
        queue: doc.queue.filter((m) => m.messageId !== event.data.messageId),
      };
    case "chat.turn.started": {
      const { turnId, messageId } = event.data;
      return {
        ...doc,
        status: "running",
        updatedAt: at,
        currentTurn: { turnId, messageId, startedAt: at },
        queue: doc.queue.filter((m) => m.messageId !== messageId),
        counters: { ...doc.counters, turns: doc.counters.turns + 1 },
      };
    }
    case "chat.session.updated":
      return { ...doc, updatedAt: at, sessionId: event.data.sessionId };
    case "chat.item.added":
      return {
        ...doc,
        updatedAt: at,
        counters: { ...doc.counters, items: doc.counters.items + 1 },
      };
    case "chat.turn.interrupting":
      return doc.status === "running" ? { ...doc, status: "interrupting", updatedAt: at } : doc;
    case "chat.turn.completed": {
      const ended = endTurn(doc, event, null, "completed");
      const { usage, costUsd } = event.data;
      return {
        ...ended,
        counters: {
          ...ended.counters,
          inputTokens: ended.counters.inputTokens + (usage?.inputTokens ?? 0),
          outputTokens: ended.counters.outputTokens + (usage?.outputTokens ?? 0),
          costUsd: ended.counters.costUsd + (costUsd ?? 0),
        },
      };
    }
    case "chat.turn.failed":
      return endTurn(doc, event, event.data.error, "failed");
    case "chat.turn.interrupted":
      return endTurn(doc, event, null, "interrupted");
    default:
      return doc;
  }
}

export const chatsProjection: Projection<ChatDoc, ChatDocEventType> = {
  name: "chats",
  version: 2,
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

/** GET /chats: every chat not deleted. */
export const readLiveChats = (reader: ReadModelReader): ChatDoc[] =>
  reader.list(chatsProjection).filter((chat) => chat.status !== "deleted");

/** GET /chats/:chatId: a chat not deleted, with its recent messages' states. */
export function readChatView(reader: ReadModelReader, chatId: string): ChatView | undefined {
  const chat = readLiveChat(reader, chatId);
  return chat && { ...chat, messages: readRecentMessages(reader, chatId, RECENT_MESSAGES) };
}

/** How many chats are in each status, deleted ones included (GET /status). */
export function readChatCounts(reader: ReadModelReader): Record<ChatStatus, number> {
  const counts: Record<ChatStatus, number> = { idle: 0, running: 0, interrupting: 0, deleted: 0 };
  for (const chat of reader.list(chatsProjection)) counts[chat.status]++;
  return counts;
}
