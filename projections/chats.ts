import {
  type ChatRecord,
  type ChatState,
  createdChat,
  evolve as evolveChat,
} from "../src/chats/chat-decider.js";
import type { EngineEvent } from "../src/events/catalogue.js";
import type { TurnError } from "../src/events/chat-events.js";
import type { Projection } from "./projection.js";

export type { ChatStatus, QueuedMessage } from "../src/chats/chat-decider.js";

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
 * A chat as the API serves it: the chat's own state (`evolve` of chat-decider.ts, the same fold
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

export const chatsProjection: Projection<ChatDoc> = {
  name: "chats",
  version: 4,
  cached: true,
  documentsOf: (event) =>
    event.type.startsWith("chat.") && event.type !== "chat.item.delta"
      ? [{ id: (event.data as { chatId: string }).chatId, group: "" }]
      : [],
  evolve,
};
