import { EventSourceParserStream } from "eventsource-parser/stream";
import { afterEach, describe, expect, test } from "vitest";
import { type FakeOpenAiServer, startFakeOpenAi } from "./fake-openai-server.js";
import { functionCallOutputs, lastUserText, userTexts } from "./recorded-request.js";
import { httpError, shell, stall, text } from "./response-step.js";

let fake: FakeOpenAiServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const userMessage = (t: string) => ({
  type: "message",
  role: "user",
  content: [{ type: "input_text", text: t }],
});

async function post(
  input: unknown[],
): Promise<{ status: number; events: { event?: string; data: unknown }[] }> {
  const response = await fetch(`${fake!.baseUrl}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-test" },
    body: JSON.stringify({ model: "gpt-5.5", stream: true, input }),
  });
  if (!response.headers.get("content-type")?.includes("text/event-stream")) {
    return { status: response.status, events: [{ data: await response.json() }] };
  }
  const events: { event?: string; data: unknown }[] = [];
  const stream = response
    .body!.pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream());
  for await (const message of stream)
    events.push({ event: message.event, data: JSON.parse(message.data) });
  return { status: response.status, events };
}

describe("fake OpenAI Responses API", () => {
  test("streams text in chunks, in the real event order, with usage at the end", async () => {
    fake = await startFakeOpenAi();
    fake.script(text("Hello world", { chunks: 3, reasoning: "thinking" }));
    const { events } = await post([userMessage("hi")]);
    expect(events.map((e) => e.event)).toEqual([
      "response.created",
      "response.output_item.added",
      "response.reasoning_summary_part.added",
      "response.reasoning_summary_text.delta",
      "response.output_item.done",
      "response.output_item.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_item.done",
      "response.completed",
    ]);
    const deltas = events
      .filter((e) => e.event === "response.output_text.delta")
      .map((e) => (e.data as { delta: string }).delta);
    expect(deltas.join("")).toBe("Hello world");
    expect(events.at(-1)?.data).toMatchObject({
      response: {
        usage: {
          input_tokens: 100,
          input_tokens_details: { cached_tokens: 20 },
          output_tokens: 10,
        },
      },
    });
  });

  test("a shell call is a function_call item; the next request's output is recorded", async () => {
    fake = await startFakeOpenAi();
    fake.script(shell("ls"));
    const { events } = await post([userMessage("list")]);
    const done = events.find((e) => e.event === "response.output_item.done")?.data as {
      item: Record<string, unknown>;
    };
    expect(done.item).toMatchObject({
      type: "function_call",
      name: "exec_command",
      arguments: '{"cmd":"ls"}',
    });
    await post([
      userMessage("list"),
      { type: "function_call_output", call_id: done.item.call_id, output: "a.txt" },
    ]);
    expect(functionCallOutputs(fake.requests[1]!).get(String(done.item.call_id))).toBe("a.txt");
    // Without a script the default handler echoes the last user text.
    expect(userTexts(fake.requests[1]!)).toEqual(["list"]);
  });

  test("an HTTP error, the echo default and a custom handler", async () => {
    fake = await startFakeOpenAi();
    fake.script(httpError(401));
    expect(await post([userMessage("x")])).toMatchObject({
      status: 401,
      events: [{ data: { error: { message: "Incorrect API key provided" } } }],
    });
    const echoed = await post([userMessage("ping")]);
    expect(JSON.stringify(echoed.events)).toContain("echo: ping");
    fake.setHandler((request) => text(`custom ${lastUserText(request)}`));
    expect(JSON.stringify((await post([userMessage("q")])).events)).toContain("custom q");
    expect(fake.requests[0]?.headers.authorization).toBe("Bearer sk-test");
  });

  test("a stall sends response.created and then nothing; close() still returns", async () => {
    fake = await startFakeOpenAi();
    fake.script(stall());
    const response = await fetch(`${fake.baseUrl}/responses`, { method: "POST", body: "{}" });
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain("response.created");
    const next = reader.read().then(
      () => "data",
      () => "closed",
    );
    const waited = await Promise.race([
      next,
      new Promise((r) => setTimeout(() => r("nothing"), 300)),
    ]);
    expect(waited).toBe("nothing");
    await fake.close();
    fake = undefined;
  });
});
