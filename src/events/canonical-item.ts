import * as v from "valibot";

/**
 * The provider-neutral items a chat history is made of. Each agent adapter maps its own
 * protocol onto these, so clients render Claude and Codex chats the same way.
 */
/**
 * A file sent with a user message: an upload or a named file, both kept in the blob store under
 * `id`. `path` is where the agent gets it: the bytes of an image (sent as image input), or the
 * file it reads with its own tools.
 */
export const MessageAttachment = v.object({
  id: v.string(),
  mediaType: v.string(),
  size: v.number(),
  name: v.string(),
  path: v.string(),
});
export type MessageAttachment = v.InferOutput<typeof MessageAttachment>;

export const UserMessageItem = v.object({
  type: v.literal("user_message"),
  text: v.string(),
  attachments: v.optional(v.array(MessageAttachment)),
});
export const AssistantTextItem = v.object({ type: v.literal("assistant_text"), text: v.string() });
export const ReasoningItem = v.object({ type: v.literal("reasoning"), text: v.string() });
export const ToolCallItem = v.object({
  type: v.literal("tool_call"),
  callId: v.string(),
  name: v.string(),
  input: v.unknown(),
});
export const ToolResultItem = v.object({
  type: v.literal("tool_result"),
  callId: v.string(),
  output: v.string(),
  isError: v.boolean(),
});
export const CommandItem = v.object({
  type: v.literal("command"),
  command: v.string(),
  output: v.string(),
  exitCode: v.nullable(v.number()),
  status: v.picklist(["in_progress", "completed", "failed", "declined"]),
});
export const FileChangeItem = v.object({
  type: v.literal("file_change"),
  changes: v.array(
    v.object({ path: v.string(), kind: v.picklist(["add", "update", "delete", "rename"]) }),
  ),
  status: v.picklist(["in_progress", "completed", "failed", "declined"]),
});
export const TodoListItem = v.object({
  type: v.literal("todo_list"),
  items: v.array(
    v.object({ text: v.string(), status: v.picklist(["pending", "in_progress", "completed"]) }),
  ),
});
export const PlanItem = v.object({
  type: v.literal("plan"),
  text: v.string(),
  path: v.nullable(v.string()),
});
/** A non-fatal remark from the agent (a retry notice, a denied permission, ...). */
export const NoticeItem = v.object({
  type: v.literal("notice"),
  level: v.picklist(["info", "warning", "error"]),
  message: v.string(),
});

export const CanonicalItem = v.variant("type", [
  UserMessageItem,
  AssistantTextItem,
  ReasoningItem,
  ToolCallItem,
  ToolResultItem,
  CommandItem,
  FileChangeItem,
  TodoListItem,
  PlanItem,
  NoticeItem,
]);
export type CanonicalItem = v.InferOutput<typeof CanonicalItem>;

/** Item kinds whose text streams in deltas before the final item lands. */
export const StreamedItemKind = v.picklist(["assistant_text", "reasoning"]);
export type StreamedItemKind = v.InferOutput<typeof StreamedItemKind>;
