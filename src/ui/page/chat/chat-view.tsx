import { useState } from "preact/hooks";
import { settledEntry } from "../../../../projections/chat-history.js";
import { ChatCounters, chatName } from "../chats/chat-summary.js";
import { useEngine } from "../engine-context.js";
import { ErrorNote } from "../error-note.js";
import { VirtualList } from "../list/virtual-list.js";
import { errorText, useFollowed } from "../live/use-follow.js";
import { ChatState } from "./chat-state.js";
import { Composer } from "./composer.js";
import { HistoryItem } from "./history-item.js";
import { PendingApprovals } from "./pending-approvals.js";

const HISTORY_PAGE = 5000;

/** One chat: its state, its whole history (virtualised), its queue, the composer. */
export function ChatView({ chatId }: { chatId: string }) {
  const { client } = useEngine();
  const { store, loaded, error } = useFollowed(
    () => new ChatState(chatId),
    async (state) => {
      state.loadChat(await client.getChat(chatId));
      for (let after = 0; ; ) {
        const page = await client.history(chatId, { after, limit: HISTORY_PAGE });
        state.loadHistory(page);
        const last = page.items.at(-1);
        if (!last || page.items.length < HISTORY_PAGE) break;
        after = last.position;
      }
    },
    (state, batch) => state.apply(batch),
    [chatId],
  );
  const chat = store.chat;
  if (error) return <ErrorNote error={error} />;
  if (!loaded || !chat) return <p class="muted">Loading…</p>;
  if (chat.status === "deleted")
    return (
      <section class="panel">
        <h2>{chatName(chat)}</h2>
        <p>This chat was deleted.</p>
      </section>
    );
  const entries = store.entries;
  return (
    <section class="chat" aria-label={`Chat ${chatName(chat)}`}>
      <header class="chat-head">
        <h2>{chatName(chat)}</h2>
        <span class="chat-meta">
          {chat.provider} ·{" "}
          <span class={`status status-${chat.status}`} data-chat-status={chat.status}>
            {chat.status}
          </span>{" "}
          · <code>{chat.cwd}</code>
          {chat.sessionId && (
            <>
              {" "}
              · session <code>{chat.sessionId}</code>
            </>
          )}
        </span>
        <ChatCounters chat={chat} />
        <DeleteChat chatId={chatId} />
      </header>
      <VirtualList
        label="History"
        count={entries.length}
        estimate={60}
        follow
        keyOf={(i) => entries[i]?.itemId ?? String(i)}
        render={(i) => {
          const entry = entries[i];
          if (!entry) return null;
          return (
            <HistoryItem
              entry={settledEntry(entry, chat.currentTurn?.turnId ?? null)}
              cwd={chat.cwd}
              message={
                entry.item.type === "user_message" ? store.messageState(entry.itemId) : undefined
              }
            />
          );
        }}
      />
      {chat.queue.length > 0 && (
        <ol class="queue" aria-label="Queued messages">
          {chat.queue.map((m) => (
            <li key={m.messageId}>
              <span class="message-state state-queued" data-message-state="queued">
                queued
              </span>{" "}
              {m.text}
            </li>
          ))}
        </ol>
      )}
      <PendingApprovals chat={chat} />
      <Composer chat={chat} />
    </section>
  );
}

/** Two clicks: Delete, then Confirm delete (a chat's id is never reused). */
function DeleteChat({ chatId }: { chatId: string }) {
  const { client } = useEngine();
  const [armed, setArmed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    try {
      await client.deleteChat(chatId);
      location.hash = "#/";
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  return (
    <span class="delete-chat">
      {armed ? (
        <>
          <button type="button" class="danger" onClick={remove}>
            Confirm delete
          </button>
          <button type="button" class="link" onClick={() => setArmed(false)}>
            Keep
          </button>
        </>
      ) : (
        <button type="button" class="link" onClick={() => setArmed(true)}>
          Delete
        </button>
      )}
      {error && <span class="error">{error}</span>}
    </span>
  );
}
