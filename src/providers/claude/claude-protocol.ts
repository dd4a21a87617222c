import type { TurnRequest } from "../provider.js";
import { imageInputs, messageText } from "../toolkit/attachment-input.js";

/**
 * The stdout lines of `claude --output-format stream-json --verbose --include-partial-messages`
 * that the adapter reads (see ../shared/reference/claude-code/PROTOCOL.md). Only the fields used
 * are typed; everything else the CLI sends is ignored. Every field is optional because the CLI
 * is outside our control: the mapper checks before it uses.
 */

export interface ContentBlock {
  type: string;
  text?: string;
  thinking?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: unknown;
  is_error?: boolean;
}

export interface SystemLine {
  type: "system";
  subtype?: string;
  session_id?: string;
  permissionMode?: string;
  model?: string;
  status?: string | null;
  attempt?: number;
  max_retries?: number;
  error_status?: number | null;
  error?: string;
  message?: string;
  tool_name?: string;
  uuid?: string;
}

export interface AssistantLine {
  type: "assistant";
  message?: { id?: string; content?: ContentBlock[] };
  session_id?: string;
  is_api_error_message?: boolean;
  aborted?: boolean;
}

export interface UserLine {
  type: "user";
  message?: { content?: string | ContentBlock[] };
  isReplay?: boolean;
}

export interface StreamEventLine {
  type: "stream_event";
  api_message_id?: string;
  event?: {
    type?: string;
    index?: number;
    message?: { id?: string };
    delta?: { type?: string; text?: string; thinking?: string };
  };
}

export interface ResultUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
  output_tokens_details?: { thinking_tokens?: number } | null;
}

export interface ResultLine {
  type: "result";
  subtype?: string;
  is_error?: boolean;
  result?: string | null;
  errors?: string[] | null;
  session_id?: string;
  total_cost_usd?: number;
  usage?: ResultUsage;
  api_error_status?: number | null;
  api_error_type?: string | null;
  terminal_reason?: string | null;
  num_turns?: number;
  stop_reason?: string | null;
  /** With `stop_reason: "tool_deferred"`: the call a PreToolUse hook deferred. */
  deferred_tool_use?: { id?: string; name?: string; input?: Record<string, unknown> } | null;
}

export interface ControlRequestLine {
  type: "control_request";
  request_id?: string;
  request?: {
    subtype?: string;
    tool_name?: string;
    input?: Record<string, unknown>;
    tool_use_id?: string;
  };
}

export interface ControlResponseLine {
  type: "control_response";
  response?: {
    subtype?: string;
    request_id?: string;
    error?: string;
    response?: Record<string, unknown>;
  };
}

export type KnownLine =
  | SystemLine
  | AssistantLine
  | UserLine
  | StreamEventLine
  | ResultLine
  | ControlRequestLine
  | ControlResponseLine;

/** Any line with a string `type`; types the adapter does not know are passed on and ignored. */
export type ClaudeLine = KnownLine | { type: string };

export type ParsedLine = { ok: true; line: ClaudeLine } | { ok: false; reason: string };

/** One stdout line → a typed line, or why it is malformed (never throws). */
export function parseClaudeLine(raw: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, reason: "not JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, reason: "not a JSON object" };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string") return { ok: false, reason: "no string `type`" };
  return { ok: true, line: value as ClaudeLine };
}

export function isLine<T extends KnownLine["type"]>(
  line: ClaudeLine,
  type: T,
): line is Extract<KnownLine, { type: T }> {
  return line.type === type;
}

/** A block of the user message the adapter writes to the CLI's stdin (stream-json input). */
export type UserContent =
  | { type: "text"; text: string }
  | { type: "image"; source: { type: "base64"; media_type: string; data: string } };

/** The user message of a turn: its text (naming attached files), then its images. */
export async function userContent(request: TurnRequest): Promise<UserContent[]> {
  const images = await Promise.all(
    imageInputs(request).map(
      async (image): Promise<UserContent> => ({
        type: "image",
        source: { type: "base64", media_type: image.mediaType, data: await image.base64() },
      }),
    ),
  );
  return [{ type: "text", text: messageText(request) }, ...images];
}
