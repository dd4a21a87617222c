import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { defaultUsage, type FakeUsage, type ResponseStep } from "./response-step.js";

/** Writes one Responses API stream event (`event:` + `data:`) to an SSE response. */
function send(res: ServerResponse, type: string, payload: Record<string, unknown>): void {
  res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`);
}

function usageBody(usage: FakeUsage): Record<string, unknown> {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/**
 * Streams a step as the real API does: `response.created`, then for each output item
 * `response.output_item.added`, its deltas, `response.output_item.done`, then
 * `response.completed` with usage. `n` makes the ids unique across requests.
 */
export async function streamStep(
  res: ServerResponse,
  step: Exclude<ResponseStep, { type: "http_error" }>,
  n: number,
): Promise<void> {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  const responseId = `resp_${n}`;
  send(res, "response.created", { response: { id: responseId, status: "in_progress" } });
  if (step.type === "stall") return;

  let outputIndex = 0;
  if (step.type === "text" && step.reasoning !== undefined) {
    const item = { type: "reasoning", id: `rs_${n}`, summary: [] as unknown[] };
    send(res, "response.output_item.added", { output_index: outputIndex, item });
    send(res, "response.reasoning_summary_part.added", {
      item_id: item.id,
      output_index: outputIndex,
      summary_index: 0,
    });
    send(res, "response.reasoning_summary_text.delta", {
      item_id: item.id,
      output_index: outputIndex,
      summary_index: 0,
      delta: step.reasoning,
    });
    send(res, "response.output_item.done", {
      output_index: outputIndex,
      item: { ...item, summary: [{ type: "summary_text", text: step.reasoning }] },
    });
    outputIndex += 1;
  }

  if (step.type === "text") {
    const itemId = `msg_${n}`;
    send(res, "response.output_item.added", {
      output_index: outputIndex,
      item: { type: "message", id: itemId, role: "assistant", status: "in_progress", content: [] },
    });
    for (const chunk of step.chunks) {
      if (step.chunkDelayMs) await sleep(step.chunkDelayMs);
      if (res.destroyed) return;
      send(res, "response.output_text.delta", {
        item_id: itemId,
        output_index: outputIndex,
        content_index: 0,
        delta: chunk,
      });
    }
    send(res, "response.output_item.done", {
      output_index: outputIndex,
      item: {
        type: "message",
        id: itemId,
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text: step.chunks.join(""), annotations: [] }],
      },
    });
  } else {
    const item = {
      type: "function_call",
      id: `fc_${n}`,
      call_id: `call_${n}`,
      name: step.name,
      arguments: JSON.stringify(step.arguments),
      status: "completed",
    };
    send(res, "response.output_item.added", { output_index: outputIndex, item });
    send(res, "response.output_item.done", { output_index: outputIndex, item });
  }

  send(res, "response.completed", {
    response: { id: responseId, status: "completed", usage: usageBody(step.usage ?? defaultUsage) },
  });
  res.end();
}
