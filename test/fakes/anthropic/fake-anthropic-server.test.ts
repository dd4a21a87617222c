import { createParser, type EventSourceMessage } from "eventsource-parser";
import { afterEach, describe, expect, test } from "vitest";
import {
  type FakeAnthropicServer,
  overloaded,
  stall,
  startFakeAnthropic,
  text,
  toolUse,
  unauthorized,
} from "./index.js";

function post(fake: FakeAnthropicServer, body: Record<string, unknown>, signal?: AbortSignal) {
  return fetch(`${fake.url}/v1/messages?beta=true`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "dummy" },
    body: JSON.stringify({
      model: "claude-test",
      messages: [{ role: "user", content: "hi" }],
      ...body,
    }),
    signal,
  });
}

async function events(response: Response): Promise<EventSourceMessage[]> {
  const out: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => out.push(event) });
  parser.feed(await response.text());
  return out;
}

describe("fake Anthropic Messages API", () => {
  let fake: FakeAnthropicServer;
  afterEach(() => fake.close());

  test("streams a text reply as the real event sequence, chunked", async () => {
    fake = await startFakeAnthropic();
    fake.enqueue(text("Hello world", { chunks: 2 }));
    const response = await post(fake, { stream: true });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const stream = await events(response);
    expect(stream.map((e) => e.event)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const deltas = stream
      .filter((e) => e.event === "content_block_delta")
      .map((e) => JSON.parse(e.data).delta.text);
    expect(deltas.join("")).toBe("Hello world");
    expect(JSON.parse(stream[5]?.data ?? "{}").delta.stop_reason).toBe("end_turn");
    expect(fake.requests[0]?.body.model).toBe("claude-test");
  });

  test("a tool_use reply streams input_json_delta and stops with tool_use", async () => {
    fake = await startFakeAnthropic();
    fake.enqueue(toolUse("Bash", { command: "echo hi" }));
    const stream = await events(await post(fake, { stream: true }));
    const start = JSON.parse(stream[1]?.data ?? "{}");
    expect(start.content_block).toMatchObject({ type: "tool_use", name: "Bash" });
    const json = stream
      .filter((e) => e.event === "content_block_delta")
      .map((e) => JSON.parse(e.data).delta.partial_json)
      .join("");
    expect(JSON.parse(json)).toEqual({ command: "echo hi" });
    expect(JSON.parse(stream.at(-2)?.data ?? "{}").delta.stop_reason).toBe("tool_use");
  });

  test("errors carry the API's status and body; a non-streamed request gets JSON", async () => {
    fake = await startFakeAnthropic();
    fake.enqueue(unauthorized(), overloaded());
    const denied = await post(fake, { stream: true });
    expect(denied.status).toBe(401);
    expect(denied.headers.get("x-should-retry")).toBe("false");
    expect(await denied.json()).toMatchObject({
      type: "error",
      error: { type: "authentication_error" },
    });
    const busy = await post(fake, { stream: true });
    expect(busy.status).toBe(529);
    const plain = await post(fake, { max_tokens: 1 });
    expect(await plain.json()).toMatchObject({ type: "message", content: [{ type: "text" }] });
    expect(fake.requests).toHaveLength(3);
    fake.enqueue(unauthorized());
    fake.reset();
    expect(fake.requests).toHaveLength(0);
    expect((await post(fake, { stream: true })).status).toBe(200);
  });

  test("a stall sends headers and message_start, then nothing; HEAD elsewhere answers at once", async () => {
    fake = await startFakeAnthropic({ script: () => stall() });
    const aborter = new AbortController();
    const response = await post(fake, { stream: true }, aborter.signal);
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain("message_start");
    const pending = await Promise.race([
      reader?.read().then(() => "more"),
      new Promise((resolve) => setTimeout(() => resolve("silent"), 300)),
    ]);
    expect(pending).toBe("silent");
    aborter.abort();
    const head = await fetch(`${fake.url}/`, { method: "HEAD" });
    expect(head.status).toBe(200);
    await fake.waitForRequests(1);
  });
});
