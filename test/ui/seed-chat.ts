import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { projections } from "../../projections/all.js";
import type { CanonicalItem } from "../../src/events/canonical-item.js";
import type { NewEvent } from "../../src/events/catalogue.js";
import { appendToStream } from "../../src/log/append-to-stream.js";
import { openEngineLog } from "../../src/read-models/open-engine-log.js";

export const SEEDED_CHAT = "every-item";

/** One item of each kind, as an agent's turn would leave them in the history. */
export const everyItem: CanonicalItem[] = [
  { type: "reasoning", text: "The user wants a health check; look at the router first." },
  { type: "tool_call", callId: "c1", name: "Read", input: { file_path: "src/app.ts" } },
  { type: "tool_result", callId: "c1", output: "export const app = new Hono();", isError: false },
  {
    type: "command",
    command: "npm test",
    output: "1 passed, 0 failed",
    exitCode: 0,
    status: "completed",
  },
  { type: "file_change", changes: [{ path: "README.md", kind: "update" }], status: "completed" },
  {
    type: "todo_list",
    items: [
      { text: "Add GET /health", status: "completed" },
      { text: "Document it", status: "in_progress" },
    ],
  },
  { type: "plan", text: "## Plan\n\n1. Route\n2. Test", path: null },
  { type: "notice", level: "warning", message: "rate limited, retrying in 2 s" },
  {
    type: "assistant_text",
    text: "Added `GET /health`.\n\n| route | status |\n| --- | --- |\n| /health | 200 |",
  },
];

/**
 * Writes, before the engine starts, a chat whose one turn left an item of every kind: the log
 * is the only input, as after a real turn.
 */
export function seedChatWithEveryItem(home: string, cwd: string): void {
  const database = join(home, ".replicas", "engine", "engine.db");
  mkdirSync(dirname(database), { recursive: true });
  const opened = openEngineLog({ path: database, projections });
  if (!opened.ok) throw new Error(opened.message);
  const chatId = SEEDED_CHAT;
  const turn = { chatId, turnId: "t1", messageId: "m1" };
  const events: NewEvent[] = [
    {
      type: "chat.created",
      data: { chatId, provider: "claude", title: "Every item", cwd, settings: {} },
    },
    { type: "chat.message.queued", data: { ...turn, text: "Add a health check", settings: {} } },
    {
      type: "chat.turn.started",
      data: { ...turn, text: "Add a health check", settings: {}, resumeSessionId: null },
    },
    ...everyItem.map(
      (item, i): NewEvent => ({
        type: "chat.item.added",
        data: { chatId, turnId: "t1", itemId: `item-${i}`, item },
      }),
    ),
    {
      type: "chat.turn.completed",
      data: { ...turn, durationMs: 1200, usage: null, costUsd: 0.01 },
    },
  ];
  appendToStream(opened.log, `chat:${chatId}`, events);
  opened.log.close();
}
