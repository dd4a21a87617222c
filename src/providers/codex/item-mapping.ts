import type { CanonicalItem } from "../../events/canonical-item.js";
import type { ThreadItem } from "./codex-protocol.js";

export interface MappedItem {
  itemId: string;
  item: CanonicalItem;
}

type ItemStatus = "in_progress" | "completed" | "failed" | "declined";

const statuses: Record<string, ItemStatus> = {
  inProgress: "in_progress",
  completed: "completed",
  failed: "failed",
  declined: "declined",
};

function status(value: string): ItemStatus {
  return statuses[value] ?? "failed";
}

/** The id of the tool_result that pairs with a tool call item. */
export function resultItemId(callId: string): string {
  return `${callId}:result`;
}

/**
 * Items worth showing while they run (`item/started`): commands, file changes and tool calls.
 * Text and reasoning stream as deltas instead and land whole at `item/completed`.
 */
export function mapStartedItem(item: ThreadItem): MappedItem[] {
  switch (item.type) {
    case "commandExecution":
      return [
        {
          itemId: item.id,
          item: command(item, { output: "", exitCode: null, status: "in_progress" }),
        },
      ];
    case "fileChange":
      return [{ itemId: item.id, item: fileChange(item) }];
    case "mcpToolCall":
      return [{ itemId: item.id, item: mcpToolCall(item) }];
    case "dynamicToolCall":
      return [{ itemId: item.id, item: toolCall(item.id, item.tool, item.arguments) }];
    default:
      return [];
  }
}

/**
 * The final form of an item (`item/completed`). `commandOutput` is what `outputDelta`
 * notifications streamed, used when the item itself carries no aggregated output.
 */
export function mapCompletedItem(item: ThreadItem, commandOutput = ""): MappedItem[] {
  switch (item.type) {
    case "agentMessage":
      return [{ itemId: item.id, item: { type: "assistant_text", text: item.text } }];
    case "reasoning": {
      const parts = item.summary.length > 0 ? item.summary : item.content;
      const text = parts.join("\n\n");
      return text === "" ? [] : [{ itemId: item.id, item: { type: "reasoning", text } }];
    }
    case "commandExecution": {
      const output = item.aggregatedOutput ?? commandOutput;
      const ended = { output, exitCode: item.exitCode, status: status(item.status) };
      return [{ itemId: item.id, item: command(item, ended) }];
    }
    case "fileChange":
      return [{ itemId: item.id, item: fileChange(item) }];
    case "mcpToolCall": {
      const failed = item.error !== null || item.status === "failed";
      const output = item.error?.message ?? contentText(item.result?.content ?? []);
      return [{ itemId: item.id, item: mcpToolCall(item) }, toolResult(item.id, output, failed)];
    }
    case "dynamicToolCall": {
      const output = contentText(item.contentItems ?? []);
      const failed = item.success === false || item.status === "failed";
      return [
        { itemId: item.id, item: toolCall(item.id, item.tool, item.arguments) },
        toolResult(item.id, output, failed),
      ];
    }
    case "webSearch":
      return [{ itemId: item.id, item: toolCall(item.id, "web_search", { query: item.query }) }];
    case "plan":
      return [{ itemId: item.id, item: { type: "plan", text: item.text, path: null } }];
    case "contextCompaction":
      return [
        {
          itemId: item.id,
          item: {
            type: "notice",
            level: "info",
            message: "Codex compacted the conversation context",
          },
        },
      ];
  }
}

/** A command as it runs (`item/started`: no output yet) and once it ended. */
function command(
  item: Extract<ThreadItem, { type: "commandExecution" }>,
  run: { output: string; exitCode: number | null; status: ItemStatus },
): CanonicalItem {
  return { type: "command", command: item.command, ...run };
}

function toolCall(callId: string, name: string, input: unknown): CanonicalItem {
  return { type: "tool_call", callId, name, input: input ?? null };
}

/** An MCP tool's call is named `server.tool`. */
const mcpToolCall = (item: Extract<ThreadItem, { type: "mcpToolCall" }>) =>
  toolCall(item.id, `${item.server}.${item.tool}`, item.arguments);

/** The result of an ended tool call, beside its call. */
const toolResult = (callId: string, output: string, isError: boolean): MappedItem => ({
  itemId: resultItemId(callId),
  item: { type: "tool_result", callId, output, isError },
});

function fileChange(item: Extract<ThreadItem, { type: "fileChange" }>): CanonicalItem {
  return {
    type: "file_change",
    changes: item.changes.map((change) => ({
      path: change.path,
      kind: change.kind.type === "update" && change.kind.move_path ? "rename" : change.kind.type,
    })),
    status: status(item.status),
  };
}

/** MCP results and dynamic tool outputs are content blocks; text blocks become the output. */
function contentText(content: unknown[]): string {
  const texts = content.flatMap((block) => {
    const { type, text } = (block ?? {}) as { type?: unknown; text?: unknown };
    return (type === "text" || type === "inputText") && typeof text === "string" ? [text] : [];
  });
  return texts.length > 0 || content.length === 0 ? texts.join("\n") : JSON.stringify(content);
}
