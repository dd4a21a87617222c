import { useState } from "preact/hooks";
import type { ChatDoc } from "../../../../projections/chats.js";
import type { ChatSettings } from "../../../events/chat-settings.js";
import { SettingsFields } from "../chats/settings-fields.js";
import { useEngine } from "../engine-context.js";
import { ErrorNote } from "../error-note.js";
import { errorText } from "../live/use-follow.js";

/**
 * The message box: Send queues a message (it runs when the turns before it have ended), with
 * settings for this message only; Interrupt stops the running turn.
 */
export function Composer({ chat }: { chat: ChatDoc }) {
  const { client } = useEngine();
  const [text, setText] = useState("");
  const [settings, setSettings] = useState<ChatSettings>({});
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const running =
    chat.status === "running" ||
    chat.status === "awaiting_approval" ||
    chat.status === "interrupting";
  const send = async (event: Event) => {
    event.preventDefault();
    if (!text.trim()) return;
    setSending(true);
    setError(null);
    try {
      // One id per message typed: a retried request is answered without a second message.
      await client.sendMessage(chat.chatId, { text, messageId: crypto.randomUUID(), settings });
      setText("");
    } catch (failure) {
      setError(errorText(failure));
    }
    setSending(false);
  };
  const interrupt = async () => {
    setError(null);
    try {
      await client.interrupt(chat.chatId);
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  return (
    <form class="composer" onSubmit={send} aria-label="Composer">
      <textarea
        class="message-box"
        aria-label="Message"
        rows={3}
        placeholder="Message the agent (Ctrl+Enter sends)"
        value={text}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void send(e);
        }}
      />
      <details class="message-settings">
        <summary class="settings-summary">Settings for this message</summary>
        <SettingsFields provider={chat.provider} value={settings} onChange={setSettings} />
      </details>
      <div class="composer-actions">
        <button type="submit" disabled={sending || !text.trim()}>
          Send
        </button>
        {running && (
          <button
            type="button"
            class="danger"
            onClick={interrupt}
            disabled={chat.status === "interrupting"}
          >
            {chat.status === "interrupting" ? "Interrupting…" : "Interrupt"}
          </button>
        )}
      </div>
      <ErrorNote error={error} />
    </form>
  );
}
