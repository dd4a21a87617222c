/**
 * What the fake Anthropic Messages API answers to one request. Tests script these per request
 * (a queue, or a function of the request); the server turns them into the real streaming
 * protocol (see sse-stream.ts).
 */

export interface TextBlock {
  type: "text";
  text: string;
  /** How many pieces the text streams in (text_delta events); default 3. */
  chunks?: number;
}

export interface ThinkingBlock {
  type: "thinking";
  thinking: string;
  chunks?: number;
}

export interface ToolUseBlock {
  type: "tool_use";
  name: string;
  input: Record<string, unknown>;
  /** Default: a fresh toolu_ id. */
  id?: string;
}

export type ReplyBlock = TextBlock | ThinkingBlock | ToolUseBlock;

export interface MessageReply {
  kind: "message";
  blocks: ReplyBlock[];
  /** Pause before each streamed event after message_start; default 0. */
  delayMs?: number;
  /** Default: "tool_use" when a block is a tool call, else "end_turn". */
  stopReason?: "end_turn" | "tool_use" | "max_tokens" | "stop_sequence";
  inputTokens?: number;
  outputTokens?: number;
}

/** An HTTP error with the API's JSON error body (401 authentication_error, 529 overloaded...). */
export interface ErrorReply {
  kind: "error";
  status: number;
  errorType: string;
  message: string;
}

/** Sends the headers, message_start and an empty text block, then never finishes. */
export interface StallReply {
  kind: "stall";
}

export type FakeReply = MessageReply | ErrorReply | StallReply;

export function text(
  value: string,
  options: { chunks?: number; delayMs?: number } = {},
): MessageReply {
  return {
    kind: "message",
    blocks: [{ type: "text", text: value, chunks: options.chunks ?? 3 }],
    delayMs: options.delayMs ?? 0,
  };
}

export function toolUse(
  name: string,
  input: Record<string, unknown>,
  options: { preface?: string; id?: string; delayMs?: number } = {},
): MessageReply {
  const blocks: ReplyBlock[] = [];
  if (options.preface !== undefined) blocks.push({ type: "text", text: options.preface });
  blocks.push({ type: "tool_use", name, input, ...(options.id ? { id: options.id } : {}) });
  return { kind: "message", blocks, delayMs: options.delayMs ?? 0 };
}

export function thinkingThenText(thinking: string, answer: string): MessageReply {
  return {
    kind: "message",
    blocks: [
      { type: "thinking", thinking },
      { type: "text", text: answer },
    ],
  };
}

export function unauthorized(): ErrorReply {
  return {
    kind: "error",
    status: 401,
    errorType: "authentication_error",
    message: "invalid x-api-key",
  };
}

export function overloaded(): ErrorReply {
  return { kind: "error", status: 529, errorType: "overloaded_error", message: "Overloaded" };
}

export function stall(): StallReply {
  return { kind: "stall" };
}

/** One question of Claude's `AskUserQuestion` tool, as the model writes it. */
export interface AskedQuestion {
  question: string;
  header: string;
  options: Array<{ label: string; description: string }>;
  multiSelect: boolean;
}

/** The model asks the user (the CLI sends a `can_use_tool` for it in every permission mode). */
export function askUserQuestion(questions: AskedQuestion[]): MessageReply {
  return toolUse("AskUserQuestion", { questions });
}

/**
 * Where plan mode asks the model to write its plan: the system prompt names
 * `$HOME/.claude/plans/<slug>.md`. Undefined when the request is not in plan mode.
 */
export function planFilePathOf(body: unknown): string | undefined {
  return /\/[^"\\\s]*\.claude\/plans\/[a-z0-9-]+\.md/.exec(JSON.stringify(body))?.[0];
}
