import type { NewEvent } from "../src/events/catalogue.js";

const WORDS =
  "the engine records every transition of a chat in an append only log so that a client can resume from any position and a restart loses nothing that was committed before".split(
    " ",
  );

/** About 200 bytes of prose that differs from one call to the next. */
function prose(seed: number, bytes = 200): string {
  let text = "";
  for (let i = seed; text.length < bytes; i++) text += `${WORDS[(i * 7) % WORDS.length]} `;
  return text.slice(0, bytes);
}

const DELTAS_PER_TURN = 10;

export function chatCreated(chatId: string): NewEvent {
  return {
    type: "chat.created",
    data: {
      chatId,
      provider: "claude",
      title: `chat ${chatId}`,
      cwd: "/workspaces/app",
      settings: {},
    },
  };
}

/**
 * One realistic turn as the engine records it: the queued message, the start, the session id,
 * ten ~200-byte text deltas, the final item and the completion (15 events).
 */
export function chatTurn(chatId: string, n: number): NewEvent[] {
  const turnId = `${chatId}-t${n}`;
  const messageId = `${chatId}-m${n}`;
  const itemId = `${turnId}-text`;
  const text = prose(n, 120);
  const chunks = Array.from({ length: DELTAS_PER_TURN }, (_, i) => prose(n + i));
  return [
    { type: "chat.message.queued", data: { chatId, messageId, text, settings: {} } },
    {
      type: "chat.turn.started",
      data: { chatId, turnId, messageId, text, settings: {}, resumeSessionId: null },
    },
    { type: "chat.session.updated", data: { chatId, turnId, sessionId: `session-${chatId}` } },
    ...chunks.map(
      (chunk): NewEvent => ({
        type: "chat.item.delta",
        data: { chatId, turnId, itemId, kind: "assistant_text", text: chunk },
      }),
    ),
    {
      type: "chat.item.added",
      data: { chatId, turnId, itemId, item: { type: "assistant_text", text: chunks.join("") } },
    },
    {
      type: "chat.turn.completed",
      data: {
        chatId,
        turnId,
        messageId,
        durationMs: 1200,
        usage: {
          inputTokens: 1200,
          outputTokens: 300,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          reasoningTokens: 0,
        },
        costUsd: 0.004,
      },
    },
  ];
}

/** One chat's events forever: its creation, then turn after turn. */
export function* chatStream(chatId: string): Generator<NewEvent> {
  yield chatCreated(chatId);
  for (let n = 0; ; n++) yield* chatTurn(chatId, n);
}

/** Takes the next `count` events of a generator. */
export function take<T>(source: Iterator<T>, count: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < count; i++) {
    const next = source.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}
