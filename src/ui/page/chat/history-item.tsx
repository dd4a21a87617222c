import type { MessageStatus } from "../../../../projections/chat-messages.js";
import type { Entry } from "./chat-state.js";
import { FileChanges } from "./file-changes.js";
import { renderMarkdown } from "./markdown.js";

/** Markdown is parsed once per text: a streaming item re-renders on every batch. */
const markdownCache = new Map<string, { text: string; html: string }>();
function markdownOf(id: string, text: string): string {
  const cached = markdownCache.get(id);
  if (cached?.text === text) return cached.html;
  const html = renderMarkdown(text);
  markdownCache.set(id, { text, html });
  if (markdownCache.size > 2000) markdownCache.delete(markdownCache.keys().next().value ?? "");
  return html;
}

function MessageStateBadge({ message }: { message: MessageStatus | undefined }) {
  if (!message) return null;
  return (
    <span class={`message-state state-${message.state}`} data-message-state={message.state}>
      {message.state}
      {message.error && `: ${message.error.code}: ${message.error.message}`}
    </span>
  );
}

/** One history entry, drawn by what kind of item it is. */
export function HistoryItem({
  entry,
  cwd,
  message,
}: {
  entry: Entry;
  cwd: string;
  message?: MessageStatus | undefined;
}) {
  const { item } = entry;
  const streaming = entry.status === "streaming";
  const common = `item item-${item.type}${streaming ? " streaming" : ""}`;
  switch (item.type) {
    case "user_message":
      return (
        <div class={common} data-item-type={item.type}>
          <div class="item-head">
            You <MessageStateBadge message={message} />
          </div>
          <div class="text">{item.text}</div>
        </div>
      );
    case "assistant_text":
      return (
        <div class={common} data-item-type={item.type} data-status={entry.status}>
          <div
            class="markdown"
            dangerouslySetInnerHTML={{ __html: markdownOf(entry.itemId, item.text) }}
          />
        </div>
      );
    case "reasoning":
      return (
        <details class={common} data-item-type={item.type}>
          <summary>Reasoning{streaming && "…"}</summary>
          <div class="text">{item.text}</div>
        </details>
      );
    case "tool_call":
      return (
        <details class={common} data-item-type={item.type}>
          <summary>
            Tool call <code>{item.name}</code>
          </summary>
          <pre class="json">{JSON.stringify(item.input, null, 2)}</pre>
        </details>
      );
    case "tool_result":
      return (
        <details class={`${common}${item.isError ? " failed" : ""}`} data-item-type={item.type}>
          <summary>Tool result{item.isError && " (error)"}</summary>
          <pre>{item.output}</pre>
        </details>
      );
    case "command":
      return (
        <div class={common} data-item-type={item.type}>
          <div class="item-head">
            <code>$ {item.command}</code> · {item.status}
            {item.exitCode !== null && ` · exit ${item.exitCode}`}
          </div>
          {item.output && <pre class="output">{item.output}</pre>}
        </div>
      );
    case "file_change":
      return (
        <div class={common} data-item-type={item.type}>
          <FileChanges item={item} cwd={cwd} />
        </div>
      );
    case "todo_list":
      return (
        <div class={common} data-item-type={item.type}>
          <div class="item-head">To do</div>
          <ul class="todos">
            {item.items.map((todo, i) => (
              <li key={i} class={`todo-${todo.status}`}>
                {todo.status === "completed" ? "☑" : todo.status === "in_progress" ? "◐" : "☐"}{" "}
                {todo.text}
              </li>
            ))}
          </ul>
        </div>
      );
    case "plan":
      return (
        <div class={common} data-item-type={item.type}>
          <div class="item-head">Plan{item.path && <code> {item.path}</code>}</div>
          <div
            class="markdown"
            dangerouslySetInnerHTML={{ __html: markdownOf(entry.itemId, item.text) }}
          />
        </div>
      );
    case "notice":
      return (
        <div class={`${common} notice-${item.level}`} data-item-type={item.type}>
          {item.level}: {item.message}
        </div>
      );
  }
}
