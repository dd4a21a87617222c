import { useEngine } from "../engine-context.js";
import { ErrorNote } from "../error-note.js";
import { useFollowed } from "../live/use-follow.js";
import { chatHref } from "../route.js";
import { ChatList } from "./chat-list.js";
import { ChatCounters, chatName } from "./chat-summary.js";

/** Every chat, live: title, agent, status, queue, counters, last error. */
export function ChatsSidebar({ selected }: { selected: string | null }) {
  const { client } = useEngine();
  const { store, loaded, error } = useFollowed(
    () => new ChatList(),
    async (list) => {
      const pages = [];
      for await (const page of client.chatPages()) pages.push(page);
      list.load(pages);
    },
    (list, batch) => list.apply(batch),
    [client],
  );
  const chats = store.list();
  return (
    <aside class="sidebar" aria-label="Chats">
      <div class="sidebar-head">
        <h2>Chats</h2>
        <a class="button" href="#/new-chat">
          New chat
        </a>
      </div>
      <ErrorNote error={error} />
      {loaded && chats.length === 0 && <p class="muted">No chats yet.</p>}
      <ul class="chat-list">
        {chats.map((chat) => (
          <li
            key={chat.chatId}
            data-chat-id={chat.chatId}
            aria-current={chat.chatId === selected ? "true" : undefined}
          >
            <a href={chatHref(chat.chatId)}>
              <span class="chat-title">{chatName(chat)}</span>
              <span class="chat-meta">
                {chat.provider} · <span class={`status status-${chat.status}`}>{chat.status}</span>
                {chat.queue.length > 0 && ` · ${chat.queue.length} queued`}
              </span>
              <ChatCounters chat={chat} />
            </a>
          </li>
        ))}
      </ul>
    </aside>
  );
}
