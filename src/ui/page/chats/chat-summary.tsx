import type { ChatDoc } from "../../../../projections/chats.js";

export const chatName = (chat: Pick<ChatDoc, "title" | "chatId">) => chat.title ?? chat.chatId;

/** The counters and the last error, as one line each. */
export function ChatCounters({ chat }: { chat: ChatDoc }) {
  const c = chat.counters;
  return (
    <>
      <span class="counters">
        {c.messages} msg · {c.turns} turns · {c.completed} ok · {c.failed} failed · {c.interrupted}{" "}
        interrupted · {c.inputTokens + c.outputTokens} tokens · ${c.costUsd.toFixed(4)}
      </span>
      {chat.lastError && (
        <span class="error">
          last error: {chat.lastError.code}: {chat.lastError.message}
        </span>
      )}
    </>
  );
}
