import type { DecideContext } from "../../actors/chat-decider.js";
import { type ChatRecord, type ChatState, createdChat, evolve } from "../../actors/chat-state.js";

/**
 * The "given" of the chat's given/when/then tests (actors/): one chat "c1", its events, and the
 * state they fold into, each recorded one second after the previous one, with no database.
 */

export const created = {
  chatId: "c1",
  provider: "claude",
  title: null,
  cwd: "/w",
  settings: {},
} as const;

/** The time `s` seconds into the test's day. */
export const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

/** A command decided at t(10), with no stop asked for and the engine's approval timeout of 60 s. */
export const context: DecideContext = {
  at: t(10),
  stop: { reason: null, shuttingDown: false },
  approvalTimeoutMs: 60_000,
};

export const queued = (messageId: string, text = `text of ${messageId}`): ChatRecord => ({
  type: "chat.message.queued",
  data: { chatId: "c1", messageId, text, settings: {} },
});

export const started = (messageId: string, text = `text of ${messageId}`): ChatRecord => ({
  type: "chat.turn.started",
  data: {
    chatId: "c1",
    turnId: `turn_${messageId}`,
    messageId,
    text,
    settings: {},
    resumeSessionId: null,
  },
});

/** The state after these events, the first recorded at t(1), each one second after the previous. */
export const given = (...events: ChatRecord[]): ChatState =>
  events.reduce((state, event, i) => evolve(state, event, t(i + 1)), createdChat(created));
