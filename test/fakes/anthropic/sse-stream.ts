import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { MessageReply, ReplyBlock } from "./replies.js";

/** One Messages API stream event, as `event:` name and `data:` JSON. */
interface StreamEvent {
  type: string;
  [key: string]: unknown;
}

export function freshId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("hex")}`;
}

function split(value: string, pieces: number): string[] {
  const count = Math.max(1, Math.min(pieces, value.length || 1));
  const size = Math.ceil(value.length / count);
  const out: string[] = [];
  for (let i = 0; i < value.length; i += size) out.push(value.slice(i, i + size));
  return out.length > 0 ? out : [""];
}

function withIds(blocks: ReplyBlock[]): ReplyBlock[] {
  return blocks.map((b) => (b.type === "tool_use" && !b.id ? { ...b, id: freshId("toolu") } : b));
}

function stopReasonOf(reply: MessageReply): string {
  return (
    reply.stopReason ?? (reply.blocks.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn")
  );
}

function blockEvents(block: ReplyBlock, index: number): StreamEvent[] {
  if (block.type === "text") {
    return [
      { type: "content_block_start", index, content_block: { type: "text", text: "" } },
      ...split(block.text, block.chunks ?? 3).map((piece) => ({
        type: "content_block_delta",
        index,
        delta: { type: "text_delta", text: piece },
      })),
      { type: "content_block_stop", index },
    ];
  }
  if (block.type === "thinking") {
    return [
      {
        type: "content_block_start",
        index,
        content_block: { type: "thinking", thinking: "", signature: "" },
      },
      ...split(block.thinking, block.chunks ?? 2).map((piece) => ({
        type: "content_block_delta",
        index,
        delta: { type: "thinking_delta", thinking: piece },
      })),
      {
        type: "content_block_delta",
        index,
        delta: { type: "signature_delta", signature: randomBytes(16).toString("base64") },
      },
      { type: "content_block_stop", index },
    ];
  }
  const json = JSON.stringify(block.input);
  return [
    {
      type: "content_block_start",
      index,
      content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
    },
    ...split(json, 2).map((piece) => ({
      type: "content_block_delta",
      index,
      delta: { type: "input_json_delta", partial_json: piece },
    })),
    { type: "content_block_stop", index },
  ];
}

export function messageStartEvent(id: string, model: string, inputTokens: number): StreamEvent {
  return {
    type: "message_start",
    message: {
      id,
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: inputTokens,
        output_tokens: 1,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    },
  };
}

/** The full event sequence of a scripted message, in the order the real API sends it. */
export function messageEvents(reply: MessageReply, model: string): StreamEvent[] {
  const blocks = withIds(reply.blocks);
  return [
    messageStartEvent(freshId("msg"), model, reply.inputTokens ?? 100),
    ...blocks.flatMap((block, index) => blockEvents(block, index)),
    {
      type: "message_delta",
      delta: { stop_reason: stopReasonOf(reply), stop_sequence: null },
      usage: { output_tokens: reply.outputTokens ?? 10 },
    },
    { type: "message_stop" },
  ];
}

export function startEventStream(res: ServerResponse): void {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    "request-id": freshId("req"),
  });
}

export function writeEvent(res: ServerResponse, event: StreamEvent): void {
  res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

/** Streams the reply; stops early (without throwing) when the client goes away. */
export async function streamMessage(
  res: ServerResponse,
  reply: MessageReply,
  model: string,
): Promise<void> {
  startEventStream(res);
  const [start, ...rest] = messageEvents(reply, model);
  if (start) writeEvent(res, start);
  for (const event of rest) {
    if (reply.delayMs) await sleep(reply.delayMs);
    if (res.destroyed || res.writableEnded) return;
    writeEvent(res, event);
  }
  res.end();
}

/** The non-streaming form of the same reply (the CLI falls back to it after a stalled stream). */
export function messageJson(reply: MessageReply, model: string): Record<string, unknown> {
  const blocks = withIds(reply.blocks).map((b) => {
    if (b.type === "text") return { type: "text", text: b.text };
    if (b.type === "thinking") return { type: "thinking", thinking: b.thinking, signature: "sig" };
    return { type: "tool_use", id: b.id, name: b.name, input: b.input };
  });
  return {
    id: freshId("msg"),
    type: "message",
    role: "assistant",
    model,
    content: blocks,
    stop_reason: stopReasonOf(reply),
    stop_sequence: null,
    usage: {
      input_tokens: reply.inputTokens ?? 100,
      output_tokens: reply.outputTokens ?? 10,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    },
  };
}
