import type { EngineEvent } from "../src/events/catalogue.js";
import type { TurnError } from "../src/events/chat-events.js";
import type { ChatSettings, ProviderName } from "../src/events/chat-settings.js";
import type { Projection } from "./projection.js";

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

export const chatsProjection: Projection<ChatDoc> = {
  name: "chats",
  version: 2,
  cached: true,
  documentsOf: (event) =>
    event.type.startsWith("chat.") && event.type !== "chat.item.delta"
      ? [{ id: (event.data as { chatId: string }).chatId, group: "" }]
      : [],
  evolve,
};
