import { request } from "node:http";
import { createParser } from "eventsource-parser";
import { TEST_SECRET } from "./engine-harness.js";

export interface SseMessage {
  id: number;
  event: string;
  data: string;
}

export interface SseConnection {
  messages: SseMessage[];
  comments: string[];
  /** Resolves when the server ends the stream or the connection drops. */
  ended: Promise<void>;
  status: Promise<number>;
  pause(): void;
  resume(): void;
  close(): void;
}

/** A bare SSE connection for tests that steer disconnects and reading pace by hand. */
export function openSse(url: string, headers: Record<string, string> = {}): SseConnection {
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  let response: import("node:http").IncomingMessage | undefined;
  let resolveStatus: (status: number) => void = () => {};
  const status = new Promise<number>((resolve) => {
    resolveStatus = resolve;
  });
  const parser = createParser({
    onEvent: (m) => messages.push({ id: Number(m.id), event: m.event ?? "message", data: m.data }),
    onComment: (c) => comments.push(c.trim()),
  });
  const req = request(url, { headers: { "x-replicas-engine-secret": TEST_SECRET, ...headers } });
  const ended = new Promise<void>((resolve) => {
    req.on("response", (res) => {
      response = res;
      resolveStatus(res.statusCode ?? 0);
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => parser.feed(chunk));
      res.on("end", resolve);
      res.on("close", resolve);
      res.on("error", () => resolve());
    });
    req.on("error", () => {
      resolveStatus(0);
      resolve();
    });
  });
  req.end();
  return {
    messages,
    comments,
    ended,
    status,
    pause: () => response?.pause(),
    resume: () => response?.resume(),
    close: () => req.destroy(),
  };
}
