import type { CanonicalItem } from "../../events/canonical-item.js";

const TODO_STATUSES = new Set(["pending", "in_progress", "completed"]);

/** Plan mode writes its plan to $HOME/.claude/plans/<slug>.md (PROTOCOL.md, "Plans"). */
function isPlanFilePath(path: string): boolean {
  return /\/\.claude\/plans\/[^/]+\.md$/.test(path);
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** A tool result's content (a string or text/image blocks) as one string. */
export function toolResultText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((block) => {
      const b = asRecord(block);
      return typeof b.text === "string" ? b.text : `[${String(b.type ?? "content")}]`;
    })
    .join("\n");
}

function todoItems(input: unknown): CanonicalItem | null {
  const todos = asRecord(input).todos;
  if (!Array.isArray(todos)) return null;
  return {
    type: "todo_list",
    items: todos.map((t) => {
      const todo = asRecord(t);
      const status = String(todo.status);
      return {
        text: String(todo.content ?? todo.text ?? ""),
        status: (TODO_STATUSES.has(status) ? status : "pending") as "pending",
      };
    }),
  };
}

/** Extra items a tool call implies beyond the call itself: todo lists and plans. */
export function impliedItem(name: string, input: unknown): CanonicalItem | null {
  const args = asRecord(input);
  if (name === "TodoWrite") return todoItems(input);
  if (name === "ExitPlanMode" && typeof args.plan === "string") {
    const path = typeof args.planFilePath === "string" ? args.planFilePath : null;
    return { type: "plan", text: args.plan, path };
  }
  if (
    name === "Write" &&
    typeof args.file_path === "string" &&
    typeof args.content === "string" &&
    isPlanFilePath(args.file_path)
  ) {
    return { type: "plan", text: args.content, path: args.file_path };
  }
  return null;
}
