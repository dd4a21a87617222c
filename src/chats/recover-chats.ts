import { chatsProjection } from "../../projections/chats.js";
import { appendToStream } from "../log/append-to-stream.js";
import type { EventLog } from "../log/event-log.js";

export interface Recovery {
  interruptedTurns: { chatId: string; turnId: string }[];
  queuedMessages: number;
}

/**
 * At boot, closes every turn the previous run left open (it stopped or crashed mid-turn): the
 * process that ran it is gone, so the turn is recorded as interrupted by the restart. Queued
 * messages stay queued and run once the chats' actors start.
 */
export function recoverChats(log: EventLog): Recovery {
  const recovery: Recovery = { interruptedTurns: [], queuedMessages: 0 };
  const now = log.now().getTime();
  for (const chat of log.readModels.list(chatsProjection)) {
    if (chat.status === "deleted") continue;
    recovery.queuedMessages += chat.queue.length;
    const turn = chat.currentTurn;
    if (!turn) continue;
    appendToStream(log, `chat:${chat.chatId}`, [
      {
        type: "chat.turn.interrupted",
        data: {
          chatId: chat.chatId,
          turnId: turn.turnId,
          messageId: turn.messageId,
          durationMs: Math.max(0, now - Date.parse(turn.startedAt)),
          reason: "engine_restart",
        },
      },
    ]);
    recovery.interruptedTurns.push({ chatId: chat.chatId, turnId: turn.turnId });
  }
  if (recovery.interruptedTurns.length > 0) {
    appendToStream(log, "engine", [{ type: "engine.recovered", data: recovery }]);
  }
  return recovery;
}
