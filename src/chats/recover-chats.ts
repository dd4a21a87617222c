import { waitsDurably } from "../../actors/approval-decisions.js";
import { endTurn } from "../../actors/chat-decider.js";
import { chatsProjection } from "../../projections/chats.js";
import { appendToStream } from "../log/append-to-stream.js";
import type { EventLog } from "../log/event-log.js";

export interface Recovery {
  interruptedTurns: { chatId: string; turnId: string }[];
  queuedMessages: number;
}

/**
 * At boot, closes every turn the previous run left open (it stopped or crashed mid-turn): the
 * process that ran it is gone, so the turn is ended as any stopped turn is (`endTurn`,
 * actors/chat-decider.ts), interrupted by the restart. Its pending approval requests are resolved
 * `engine_restart` first: the agent that asked is gone and asks nothing again (docs/claude.md, docs/codex.md);
 * a turn that waits only on durable requests (Claude's deferred calls) stays open instead.
 * Queued messages stay queued and run once the actors start.
 */
export function recoverChats(log: EventLog): Recovery {
  const recovery: Recovery = { interruptedTurns: [], queuedMessages: 0 };
  const at = log.now().toISOString();
  const restart = { reason: "engine_restart", shuttingDown: false } as const;
  for (const chat of log.readModels.list(chatsProjection)) {
    if (chat.status === "deleted") continue;
    recovery.queuedMessages += chat.queue.length;
    const turn = chat.currentTurn;
    // A turn waiting only on durable requests stays open: the answer resumes the agent.
    if (!turn || waitsDurably(chat)) continue;
    appendToStream(log, `chat:${chat.chatId}`, endTurn(chat, null, restart, at));
    recovery.interruptedTurns.push({ chatId: chat.chatId, turnId: turn.turnId });
  }
  if (recovery.interruptedTurns.length > 0) {
    appendToStream(log, "engine", [{ type: "engine.recovered", data: recovery }]);
  }
  return recovery;
}
