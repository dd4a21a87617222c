import * as v from "valibot";

/**
 * The parts of the `codex app-server` protocol (0.169.0, `codex app-server generate-ts`) that
 * the adapter reads. Loose objects: the server adds fields between versions, and what we do not
 * read must not make us reject a message.
 */

const Nullable = <T extends v.GenericSchema>(schema: T) => v.optional(v.nullable(schema), null);

export const TokenUsageBreakdown = v.looseObject({
  totalTokens: v.number(),
  inputTokens: v.number(),
  cachedInputTokens: v.number(),
  cacheWriteInputTokens: v.optional(v.number(), 0),
  outputTokens: v.number(),
  reasoningOutputTokens: v.number(),
});
export type TokenUsageBreakdown = v.InferOutput<typeof TokenUsageBreakdown>;

export const CodexTurnError = v.looseObject({
  message: v.string(),
  codexErrorInfo: v.optional(v.unknown()),
  additionalDetails: Nullable(v.string()),
});
export type CodexTurnError = v.InferOutput<typeof CodexTurnError>;

const ItemStatus = v.picklist(["inProgress", "completed", "failed", "declined"]);

export const PatchChangeKind = v.variant("type", [
  v.looseObject({ type: v.literal("add") }),
  v.looseObject({ type: v.literal("delete") }),
  v.looseObject({ type: v.literal("update"), move_path: Nullable(v.string()) }),
]);

/** Thread items the adapter maps; any other type passes as `OtherItem` and is skipped. */
export const ThreadItem = v.variant("type", [
  v.looseObject({ type: v.literal("agentMessage"), id: v.string(), text: v.string() }),
  v.looseObject({
    type: v.literal("reasoning"),
    id: v.string(),
    summary: v.optional(v.array(v.string()), []),
    content: v.optional(v.array(v.string()), []),
  }),
  v.looseObject({
    type: v.literal("commandExecution"),
    id: v.string(),
    command: v.string(),
    status: ItemStatus,
    aggregatedOutput: Nullable(v.string()),
    exitCode: Nullable(v.number()),
  }),
  v.looseObject({
    type: v.literal("fileChange"),
    id: v.string(),
    changes: v.array(v.looseObject({ path: v.string(), kind: PatchChangeKind })),
    status: ItemStatus,
  }),
  v.looseObject({
    type: v.literal("mcpToolCall"),
    id: v.string(),
    server: v.string(),
    tool: v.string(),
    status: ItemStatus,
    arguments: v.optional(v.unknown()),
    result: Nullable(v.looseObject({ content: v.optional(v.array(v.unknown()), []) })),
    error: Nullable(v.looseObject({ message: v.string() })),
  }),
  v.looseObject({
    type: v.literal("dynamicToolCall"),
    id: v.string(),
    tool: v.string(),
    status: ItemStatus,
    arguments: v.optional(v.unknown()),
    contentItems: Nullable(
      v.array(v.looseObject({ type: v.string(), text: v.optional(v.string()) })),
    ),
    success: Nullable(v.boolean()),
  }),
  v.looseObject({
    type: v.literal("webSearch"),
    id: v.string(),
    query: v.optional(v.string(), ""),
  }),
  v.looseObject({ type: v.literal("plan"), id: v.string(), text: v.string() }),
  v.looseObject({ type: v.literal("contextCompaction"), id: v.string() }),
]);
export type ThreadItem = v.InferOutput<typeof ThreadItem>;

const TurnScoped = { threadId: v.string(), turnId: v.string() };

export const ItemNotification = v.looseObject({ ...TurnScoped, item: v.unknown() });
export const DeltaNotification = v.looseObject({
  ...TurnScoped,
  itemId: v.string(),
  delta: v.string(),
});
export const ReasoningPartAdded = v.looseObject({
  ...TurnScoped,
  itemId: v.string(),
  summaryIndex: v.number(),
});
export const TokenUsageUpdated = v.looseObject({
  ...TurnScoped,
  tokenUsage: v.looseObject({ total: TokenUsageBreakdown, last: TokenUsageBreakdown }),
});
export const PlanUpdated = v.looseObject({
  ...TurnScoped,
  explanation: Nullable(v.string()),
  plan: v.array(
    v.looseObject({ step: v.string(), status: v.picklist(["pending", "inProgress", "completed"]) }),
  ),
});
export const ErrorNotification = v.looseObject({
  ...TurnScoped,
  error: CodexTurnError,
  willRetry: v.boolean(),
});
export const WarningNotification = v.looseObject({
  threadId: Nullable(v.string()),
  message: v.string(),
});
export const TurnCompleted = v.looseObject({
  threadId: v.string(),
  turn: v.looseObject({
    id: v.string(),
    status: v.picklist(["completed", "interrupted", "failed", "inProgress"]),
    error: Nullable(CodexTurnError),
  }),
});

/** `thread/start` and `thread/resume` both answer `{thread:{id}}`; `turn/start` `{turn:{id}}`. */
export const ThreadResponse = v.looseObject({ thread: v.looseObject({ id: v.string() }) });
export const TurnResponse = v.looseObject({ turn: v.looseObject({ id: v.string() }) });

/** Reads the thread id any thread-scoped notification carries, for routing. */
export const ThreadScoped = v.looseObject({ threadId: v.string() });
