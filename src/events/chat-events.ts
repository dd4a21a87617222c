import * as v from "valibot";
import { CanonicalItem, MessageAttachment, StreamedItemKind } from "./canonical-item.js";
import { ChatSettings, Provider } from "./chat-settings.js";
import { defineEvent } from "./define-event.js";

export const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const Millis = v.pipe(v.number(), v.integer(), v.minValue(0));

export const TurnUsage = v.object({
  inputTokens: v.number(),
  outputTokens: v.number(),
  cacheReadTokens: v.number(),
  cacheWriteTokens: v.number(),
  reasoningTokens: v.number(),
});
export type TurnUsage = v.InferOutput<typeof TurnUsage>;

export const TurnError = v.object({
  code: v.string(),
  message: v.string(),
  details: v.optional(v.record(v.string(), v.unknown())),
});
export type TurnError = v.InferOutput<typeof TurnError>;

export const InterruptReason = v.picklist(["user", "engine_restart", "chat_deleted", "shutdown"]);
export type InterruptReason = v.InferOutput<typeof InterruptReason>;

export const chatCreated = defineEvent(
  "chat.created",
  v.object({
    chatId: Id,
    provider: Provider,
    title: v.nullable(v.string()),
    cwd: v.string(),
    settings: ChatSettings,
  }),
);

export const chatDeleted = defineEvent("chat.deleted", v.object({ chatId: Id }));

const Attachments = v.optional(v.array(MessageAttachment));

export const chatMessageQueued = defineEvent(
  "chat.message.queued",
  v.object({
    chatId: Id,
    messageId: Id,
    text: v.string(),
    settings: ChatSettings,
    /** Absent when the message has none (and in events from before attachments). */
    attachments: Attachments,
  }),
);

/** A queued message that will never run: its chat was deleted. */
export const chatMessageDropped = defineEvent(
  "chat.message.dropped",
  v.object({ chatId: Id, messageId: Id, reason: v.picklist(["chat_deleted"]) }),
);

export const chatTurnStarted = defineEvent(
  "chat.turn.started",
  v.object({
    chatId: Id,
    turnId: Id,
    messageId: Id,
    text: v.string(),
    settings: ChatSettings,
    resumeSessionId: v.nullable(v.string()),
    attachments: Attachments,
  }),
);

/** The agent's own conversation id (Claude session_id, Codex thread id), kept for resume. */
export const chatSessionUpdated = defineEvent(
  "chat.session.updated",
  v.object({ chatId: Id, turnId: Id, sessionId: v.string() }),
);

export const chatItemAdded = defineEvent(
  "chat.item.added",
  v.object({ chatId: Id, turnId: Id, itemId: Id, item: CanonicalItem }),
);

/** Streamed text of an item not yet final; consecutive chunks are coalesced before append. */
export const chatItemDelta = defineEvent(
  "chat.item.delta",
  v.object({ chatId: Id, turnId: Id, itemId: Id, kind: StreamedItemKind, text: v.string() }),
);

/** Why a running turn is being stopped: an interrupt, or the watchdog after a silent provider. */
export const StopReason = v.picklist([...InterruptReason.options, "watchdog"]);
export type StopReason = v.InferOutput<typeof StopReason>;

export const chatTurnInterrupting = defineEvent(
  "chat.turn.interrupting",
  v.object({ chatId: Id, turnId: Id, reason: StopReason }),
);

export const chatTurnCompleted = defineEvent(
  "chat.turn.completed",
  v.object({
    chatId: Id,
    turnId: Id,
    messageId: Id,
    durationMs: Millis,
    usage: v.nullable(TurnUsage),
    costUsd: v.nullable(v.number()),
  }),
);

export const chatTurnFailed = defineEvent(
  "chat.turn.failed",
  v.object({ chatId: Id, turnId: Id, messageId: Id, durationMs: Millis, error: TurnError }),
);

export const chatTurnInterrupted = defineEvent(
  "chat.turn.interrupted",
  v.object({ chatId: Id, turnId: Id, messageId: Id, durationMs: Millis, reason: InterruptReason }),
);

/** The events that end a turn: exactly one of them closes every `chat.turn.started`. */
export const turnEndTypes = [
  chatTurnCompleted.type,
  chatTurnFailed.type,
  chatTurnInterrupted.type,
] as const;
export type TurnEndType = (typeof turnEndTypes)[number];

export const chatEvents = [
  chatCreated,
  chatDeleted,
  chatMessageQueued,
  chatMessageDropped,
  chatTurnStarted,
  chatSessionUpdated,
  chatItemAdded,
  chatItemDelta,
  chatTurnInterrupting,
  chatTurnCompleted,
  chatTurnFailed,
  chatTurnInterrupted,
] as const;
