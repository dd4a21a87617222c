import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { lastUserText, type RecordedRequest } from "./recorded-request.js";
import { type ResponseStep, text } from "./response-step.js";
import { streamStep } from "./responses-stream.js";

/** Decides the answer to a request when no scripted step is queued. */
export type ResponseHandler = (request: RecordedRequest) => ResponseStep;

export interface FakeOpenAiServer {
  /** Base URL for a provider config, e.g. `http://127.0.0.1:PORT/v1`. */
  readonly baseUrl: string;
  readonly port: number;
  /** Every request received, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Queues steps answered in order by the next `POST /v1/responses`, before the handler. */
  script(...steps: ResponseStep[]): void;
  /** Replaces the fallback handler (default: answers `echo: <last user text>`). */
  setHandler(handler: ResponseHandler): void;
  /** Resolves when `count` model requests have arrived (counting from server start). */
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const echoHandler: ResponseHandler = (request) => text(`echo: ${lastUserText(request)}`);

/**
 * A fake OpenAI Responses API on 127.0.0.1 (port 0) speaking the real streaming protocol, so the
 * real Codex CLI runs against it offline.
 */
export async function startFakeOpenAi(): Promise<FakeOpenAiServer> {
  const requests: RecordedRequest[] = [];
  const queue: ResponseStep[] = [];
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();
  let handler: ResponseHandler = echoHandler;
  let responses = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
      else res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    let body: unknown = null;
    try {
      body = JSON.parse(raw);
    } catch {
      // Recorded as null: a test can assert the client sent JSON.
    }
    const recorded: RecordedRequest = {
      method: req.method ?? "",
      path: req.url ?? "",
      headers: req.headers,
      body,
      receivedAt: Date.now(),
    };
    requests.push(recorded);
    for (const wake of waiters) wake();

    if (req.method !== "POST" || !recorded.path.startsWith("/v1/responses")) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "not found", type: "invalid_request_error" } }));
      return;
    }
    responses += 1;
    const step = queue.shift() ?? handler(recorded);
    if (step.type === "http_error") {
      res.writeHead(step.status, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: { message: step.message, type: "invalid_request_error", code: null, param: null },
        }),
      );
      return;
    }
    await streamStep(res, step, responses);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    script: (...steps) => {
      queue.push(...steps);
    },
    setHandler: (next) => {
      handler = next;
    },
    waitForRequests: (count, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const modelRequests = () =>
          requests.filter((r) => r.path.startsWith("/v1/responses")).length;
        if (modelRequests() >= count) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`fake OpenAI: ${modelRequests()} of ${count} requests arrived`));
        }, timeoutMs);
        const check = () => {
          if (modelRequests() < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        // Stalled streams never end on their own: drop their sockets so close() returns.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
