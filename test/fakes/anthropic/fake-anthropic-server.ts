import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type FakeReply, text } from "./replies.js";
import {
  freshId,
  messageEvents,
  messageJson,
  startEventStream,
  streamMessage,
  writeEvent,
} from "./sse-stream.js";

/** A content block of a request message, as the CLI sends it (text, tool_use, tool_result...). */
export interface RequestContentBlock {
  type: string;
  text?: string;
  content?: unknown;
  tool_use_id?: string;
  [key: string]: unknown;
}

export interface RequestMessage {
  role: string;
  content: string | RequestContentBlock[];
}

export interface MessagesRequestBody {
  model: string;
  stream?: boolean;
  messages: RequestMessage[];
  [key: string]: unknown;
}

/** One POST /v1/messages the server received, in arrival order. */
export interface RecordedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: MessagesRequestBody;
}

/** Picks the reply for a request; `undefined` falls through to the queue, then the default. */
export type ReplyScript = (request: RecordedRequest) => FakeReply | undefined;

export interface FakeAnthropicOptions {
  script?: ReplyScript;
  /** When neither the script nor the queue has a reply. Default: text "Hello from mock.". */
  defaultReply?: FakeReply;
}

export interface FakeAnthropicServer {
  /** Base URL for ANTHROPIC_BASE_URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Every Messages request received (count_tokens and other paths are not recorded). */
  readonly requests: RecordedRequest[];
  /** Replies handed out in order to streamed requests the script does not answer. */
  enqueue(...replies: FakeReply[]): void;
  setScript(script: ReplyScript | undefined): void;
  /** Forgets the queue, the script (back to the constructor's) and the recorded requests. */
  reset(): void;
  /** Resolves once `count` Messages requests have arrived (stalls included). */
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** The text a message's user typed (string content or text blocks; tool results excluded). */
export function userText(message: RequestMessage | undefined): string {
  if (!message) return "";
  if (typeof message.content === "string") return message.content;
  return message.content
    .filter((b) => b.type === "text" && typeof b.text === "string")
    .map((b) => b.text)
    .join("\n");
}

/**
 * The last user-role message: what the model is asked to answer. (The CLI may append a
 * `role: "system"` environment message after it.)
 */
export function lastUserMessage(request: RecordedRequest): RequestMessage | undefined {
  return request.body.messages.findLast((m) => m.role === "user");
}

/** True when the request carries a tool result: the model is asked to continue after a tool. */
export function continuesAfterTool(request: RecordedRequest): boolean {
  const last = lastUserMessage(request);
  return Array.isArray(last?.content) && last.content.some((b) => b.type === "tool_result");
}

/** Every user-typed text of the whole conversation the request carries, in order. */
export function conversationTexts(request: RecordedRequest): string[] {
  return request.body.messages.filter((m) => m.role === "user").map((m) => userText(m));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(payload),
    "request-id": freshId("req"),
    ...headers,
  });
  res.end(payload);
}

/** Like the real API: client errors other than 408/409/429 say not to retry. */
function retryHeaders(status: number): Record<string, string> {
  const retryable = status >= 500 || status === 408 || status === 409 || status === 429;
  return { "x-should-retry": retryable ? "true" : "false" };
}

async function answer(res: ServerResponse, reply: FakeReply, body: MessagesRequestBody) {
  const model = body.model || "claude-fake";
  if (reply.kind === "error") {
    sendJson(
      res,
      reply.status,
      { type: "error", error: { type: reply.errorType, message: reply.message } },
      retryHeaders(reply.status),
    );
    return;
  }
  if (reply.kind === "stall") {
    startEventStream(res);
    const [start] = messageEvents(text(""), model);
    if (start) writeEvent(res, start);
    writeEvent(res, {
      type: "content_block_start",
      index: 0,
      content_block: { type: "text", text: "" },
    });
    return; // never finishes; close() destroys the socket
  }
  if (body.stream !== true) {
    sendJson(res, 200, messageJson(reply, model));
    return;
  }
  await streamMessage(res, reply, model);
}

/** A fake Anthropic Messages API on 127.0.0.1, port 0, speaking the real streaming protocol. */
export async function startFakeAnthropic(
  options: FakeAnthropicOptions = {},
): Promise<FakeAnthropicServer> {
  const requests: RecordedRequest[] = [];
  const queue: FakeReply[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const sockets = new Set<Socket>();
  let script = options.script;
  const fallback = options.defaultReply ?? text("Hello from mock.");

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { type: "error", error: { type: "api_error" } });
      else res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (req.method !== "POST") {
      sendJson(res, 200, {});
      return;
    }
    const raw = await readBody(req);
    if (path === "/v1/messages/count_tokens") {
      sendJson(res, 200, { input_tokens: 100 });
      return;
    }
    if (path !== "/v1/messages") {
      sendJson(res, 200, {});
      return;
    }
    const body = JSON.parse(raw) as MessagesRequestBody;
    const recorded: RecordedRequest = { path, headers: req.headers, body };
    requests.push(recorded);
    for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    // The queue feeds the conversation (streamed requests) only: the CLI's side requests
    // (a model check on set_model, non-streaming fallbacks) get the script's or the default reply.
    const reply =
      script?.(recorded) ?? (body.stream === true ? queue.shift() : undefined) ?? fallback;
    await answer(res, reply, body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    setScript: (next) => {
      script = next;
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      script = options.script;
    },
    waitForRequests: (count, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        if (requests.length >= count) return resolve();
        const timer = setTimeout(
          () => reject(new Error(`fake Anthropic API: ${requests.length}/${count} requests`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
