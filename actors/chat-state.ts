import type { MessageAttachment } from "../src/events/canonical-item.js";
import type { EventData, NewEvent } from "../src/events/catalogue.js";
import { type TurnEndType, turnEndTypes } from "../src/events/chat-events.js";
import type { ChatSettings, ProviderName } from "../src/events/chat-settings.js";
import type { OpenTurn } from "./turn-outcome.js";

/**
 * One chat's state and the fold of its events (src/events/chat-events.ts) into it, `evolve`. The
 * chat machine keeps this state in its context and the `chats` projection extends it, both
 * through `evolve`, so "record X, so the state becomes Y" is written only here; what a command
 * records is `decide`'s (chat-decider.ts).
 */

/** `awaiting_approval`: the turn runs but waits for an answer to one of its requests. */
export type ChatStatus = "idle" | "running" | "awaiting_approval" | "interrupting" | "deleted";

/** A request of the open turn still waiting for its answer. */
export type PendingApproval = EventData<"chat.approval.requested"> & { requestedAt: string };

export interface QueuedMessage {
  messageId: string;
  text: string;
  settings: ChatSettings;
  /** Absent when the message has none. */
  attachments?: MessageAttachment[];
  queuedAt: string;
}

export interface ChatState {
  chatId: string;
  provider: ProviderName;
  title: string | null;
  cwd: string;
  settings: ChatSettings;
  status: ChatStatus;
  /** The agent's own session/thread id, used to resume its conversation. */
  sessionId: string | null;
  currentTurn: OpenTurn | null;
  /** Messages waiting for their turn, in the order they run. */
  queue: QueuedMessage[];
  /** The open turn's requests waiting for an answer, oldest first. */
  pendingApprovals: PendingApproval[];
}

export type ChatRecord = Extract<NewEvent, { type: `chat.${string}` }>;
export type Created = EventData<"chat.created">;

/** The attachments field of a message or a turn: left out when there are none. */
export const withAttachments = (attachments: MessageAttachment[] | undefined) =>
  attachments?.length ? { attachments } : {};

export const isTurnEnd = (type: string): type is TurnEndType =>
  (turnEndTypes as readonly string[]).includes(type);

/** The state a chat starts in. */
export const createdChat = (data: Created): ChatState => ({
  chatId: data.chatId,
  provider: data.provider,
  title: data.title,
  cwd: data.cwd,
  settings: data.settings,
  status: "idle",
  sessionId: null,
  currentTurn: null,
  queue: [],
  pendingApprovals: [],
});

/** Only the chat's own state, out of a document that extends it (the `chats` read model). */
export const chatState = (doc: ChatState): ChatState => ({
  chatId: doc.chatId,
  provider: doc.provider,
  title: doc.title,
  cwd: doc.cwd,
  settings: doc.settings,
  status: doc.status,
  sessionId: doc.sessionId,
  currentTurn: doc.currentTurn,
  queue: doc.queue,
  pendingApprovals: doc.pendingApprovals,
});

/** While its turn runs, a chat with a pending request is awaiting the answer. */
const withApprovals = <S extends ChatState>(state: S, pendingApprovals: PendingApproval[]): S => {
  const waiting = state.status === "running" || state.status === "awaiting_approval";
  if (!waiting) return { ...state, pendingApprovals };
  return {
    ...state,
    pendingApprovals,
    status: pendingApprovals.length ? "awaiting_approval" : "running",
  };
};

const without = (queue: QueuedMessage[], messageId: string) =>
  queue.filter((m) => m.messageId !== messageId);

/** The next state after one of the chat's events, recorded at `at`. */
export function evolve<S extends ChatState>(state: S, event: ChatRecord, at: string): S {
  switch (event.type) {
    case "chat.deleted":
      return { ...state, status: "deleted", queue: [] };
    case "chat.message.queued": {
      const { messageId, text, settings, attachments } = event.data;
      const queued = { messageId, text, settings, ...withAttachments(attachments), queuedAt: at };
      return { ...state, queue: [...state.queue, queued] };
    }
    case "chat.message.dropped":
      return { ...state, queue: without(state.queue, event.data.messageId) };
    case "chat.turn.started": {
      const { turnId, messageId, settings } = event.data;
      return {
        ...state,
        status: "running",
        currentTurn: { turnId, messageId, startedAt: at, settings },
        queue: without(state.queue, messageId),
      };
    }
    case "chat.session.updated":
      return { ...state, sessionId: event.data.sessionId };
    case "chat.approval.requested":
      return withApprovals(state, [...state.pendingApprovals, { ...event.data, requestedAt: at }]);
    case "chat.approval.resolved":
      return withApprovals(
        state,
        state.pendingApprovals.filter((a) => a.approvalId !== event.data.approvalId),
      );
    case "chat.turn.interrupting":
      return state.status === "running" || state.status === "awaiting_approval"
        ? { ...state, status: "interrupting" }
        : state;
    case "chat.turn.completed":
    case "chat.turn.failed":
    case "chat.turn.interrupted":
      return {
        ...state,
        status: state.status === "deleted" ? "deleted" : "idle",
        currentTurn: null,
        pendingApprovals: [],
      };
    default:
      return state;
  }
}
