import { useState } from "preact/hooks";
import type { ChatSettings, ProviderName } from "../../../events/chat-settings.js";
import { useEngine } from "../engine-context.js";
import { ErrorNote } from "../error-note.js";
import { errorText } from "../live/use-follow.js";
import { chatHref } from "../route.js";
import { SettingsFields } from "./settings-fields.js";

/** POST /chats: agent, title, working directory (default: the workspaces root), settings. */
export function NewChatForm() {
  const { client } = useEngine();
  const [provider, setProvider] = useState<ProviderName>("claude");
  const [title, setTitle] = useState("");
  const [cwd, setCwd] = useState("");
  const [settings, setSettings] = useState<ChatSettings>({});
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      const { chat } = await client.createChat({
        provider,
        title: title.trim() || null,
        ...(cwd.trim() ? { cwd: cwd.trim() } : {}),
        settings,
      });
      location.hash = chatHref(chat.chatId);
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  return (
    <form class="panel new-chat" onSubmit={submit} aria-label="New chat">
      <h2>New chat</h2>
      <label>
        Agent
        <select
          value={provider}
          onChange={(e) => {
            setProvider((e.target as HTMLSelectElement).value as ProviderName);
            // The other agent's settings mean nothing to this one; the model may carry over.
            setSettings(settings.model ? { model: settings.model } : {});
          }}
        >
          <option value="claude">Claude Code</option>
          <option value="codex">Codex</option>
        </select>
      </label>
      <label>
        Title
        <input value={title} onInput={(e) => setTitle((e.target as HTMLInputElement).value)} />
      </label>
      <label>
        Working directory
        <input
          value={cwd}
          placeholder="the workspaces root"
          onInput={(e) => setCwd((e.target as HTMLInputElement).value)}
        />
      </label>
      <SettingsFields provider={provider} value={settings} onChange={setSettings} />
      <button type="submit">Create chat</button>
      <ErrorNote error={error} />
    </form>
  );
}
