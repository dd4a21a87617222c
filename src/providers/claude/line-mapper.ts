import type { ProviderOutput } from "../provider.js";
import {
  type AssistantLine,
  type ClaudeLine,
  type ContentBlock,
  isLine,
  type StreamEventLine,
  type SystemLine,
  type UserLine,
} from "./claude-protocol.js";
import { impliedItem, toolResultText } from "./item-mapping.js";

/**
 * Maps the CLI's content lines to canonical outputs. Stateful only to give streamed deltas and
 * their final item the same id: `<api message id>:<block index>`, the index known from the
 * partial-message stream (content_block_start) or, without it, by counting the blocks of the
 * message. Result and control lines are not content: the session handles them.
 */
export class ClaudeLineMapper {
  private readonly openBlock = new Map<string, number>();
  private readonly blocksSeen = new Map<string, number>();
  private reportedSession: string | null = null;

  map(line: ClaudeLine): ProviderOutput[] {
    if (isLine(line, "system")) return this.system(line);
    if (isLine(line, "stream_event")) return this.streamEvent(line);
    if (isLine(line, "assistant")) return this.assistant(line);
    if (isLine(line, "user")) return this.user(line);
    return [];
  }

  private system(line: SystemLine): ProviderOutput[] {
    if (line.subtype === "init" && typeof line.session_id === "string") {
      if (line.session_id === this.reportedSession) return [{ kind: "activity" }];
      this.reportedSession = line.session_id;
      return [{ kind: "session", sessionId: line.session_id }];
    }
    if (line.subtype === "api_retry") {
      const status = line.error_status ?? line.error ?? "unknown error";
      return [
        {
          kind: "item",
          itemId: line.uuid ?? `retry:${line.attempt ?? 0}`,
          item: {
            type: "notice",
            level: "warning",
            message: `API request failed (${status}); retry ${line.attempt ?? "?"} of ${line.max_retries ?? "?"}`,
          },
        },
      ];
    }
    if (line.subtype === "permission_denied") {
      return [
        {
          kind: "item",
          itemId: line.uuid ?? `denied:${line.tool_name ?? "tool"}`,
          item: {
            type: "notice",
            level: "warning",
            message: line.message ?? `Permission denied for ${line.tool_name ?? "a tool"}`,
          },
        },
      ];
    }
    return [{ kind: "activity" }];
  }

  private streamEvent(line: StreamEventLine): ProviderOutput[] {
    const event = line.event;
    const messageId = line.api_message_id ?? event?.message?.id;
    if (!event || !messageId) return [];
    if (event.type === "content_block_start" && typeof event.index === "number") {
      this.openBlock.set(messageId, event.index);
      return [];
    }
    if (event.type === "content_block_delta" && typeof event.index === "number") {
      const itemId = `${messageId}:${event.index}`;
      const delta = event.delta;
      if (delta?.type === "text_delta" && delta.text) {
        return [{ kind: "delta", itemId, itemKind: "assistant_text", text: delta.text }];
      }
      if (delta?.type === "thinking_delta" && delta.thinking) {
        return [{ kind: "delta", itemId, itemKind: "reasoning", text: delta.thinking }];
      }
      return [{ kind: "activity" }];
    }
    if (event.type === "message_start") return [{ kind: "activity" }];
    return [];
  }

  private blockIndex(messageId: string): number {
    const counted = this.blocksSeen.get(messageId) ?? 0;
    this.blocksSeen.set(messageId, counted + 1);
    return this.openBlock.get(messageId) ?? counted;
  }

  private assistant(line: AssistantLine): ProviderOutput[] {
    // The 401/529 "assistant" text is synthetic: the failed turn carries it as its error.
    if (line.is_api_error_message) return [];
    const messageId = line.message?.id;
    const blocks = line.message?.content ?? [];
    if (!messageId) return [];
    const outputs: ProviderOutput[] = [];
    for (const block of blocks) {
      const itemId = `${messageId}:${this.blockIndex(messageId)}`;
      outputs.push(...this.assistantBlock(block, itemId));
    }
    return outputs;
  }

  private assistantBlock(block: ContentBlock, itemId: string): ProviderOutput[] {
    if (block.type === "text" && typeof block.text === "string") {
      return [{ kind: "item", itemId, item: { type: "assistant_text", text: block.text } }];
    }
    if (block.type === "thinking" && typeof block.thinking === "string") {
      return [{ kind: "item", itemId, item: { type: "reasoning", text: block.thinking } }];
    }
    if (block.type === "tool_use" && block.id && block.name) {
      const outputs: ProviderOutput[] = [
        {
          kind: "item",
          itemId: block.id,
          item: { type: "tool_call", callId: block.id, name: block.name, input: block.input ?? {} },
        },
      ];
      const implied = impliedItem(block.name, block.input);
      if (implied)
        outputs.push({ kind: "item", itemId: `${block.id}:${implied.type}`, item: implied });
      return outputs;
    }
    return [];
  }

  private user(line: UserLine): ProviderOutput[] {
    // Replays echo our own input; plain text lines are the CLI's "[Request interrupted...]".
    const content = line.message?.content;
    if (line.isReplay || !Array.isArray(content)) return [];
    return content
      .filter((b) => b.type === "tool_result" && typeof b.tool_use_id === "string")
      .map((b) => ({
        kind: "item" as const,
        itemId: `${b.tool_use_id}:result`,
        item: {
          type: "tool_result" as const,
          callId: b.tool_use_id as string,
          output: toolResultText(b.content),
          isError: b.is_error === true,
        },
      }));
  }
}
