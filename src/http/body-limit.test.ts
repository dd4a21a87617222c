import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "./api-error.js";
import { limitBody } from "./body-limit.js";

const LIMIT = 64;
let server: ReturnType<typeof serve>;
let port: number;

beforeAll(async () => {
  const app = new Hono()
    .use(limitBody(LIMIT))
    .post("/echo", async (c) => c.text(await c.req.text()))
    .onError((error, c) =>
      error instanceof ApiError ? c.json(error.body(), error.status) : c.text("unexpected", 500),
    );
  server = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** POSTs `parts` one write each: with `declared`, a content-length; without, chunked. */
function post(parts: string[], declared: boolean): Promise<{ status: number; body: string }> {
  const length = parts.reduce((sum, part) => sum + Buffer.byteLength(part), 0);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/echo",
        headers: declared ? { "content-length": String(length) } : {},
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    for (const part of parts) req.write(part);
    req.end();
  });
}

describe("limitBody", () => {
  it("passes a body of declared length within the limit to the route whole", async () => {
    const text = "a".repeat(LIMIT);
    expect(await post([text.slice(0, 10), text.slice(10)], true)).toEqual({
      status: 200,
      body: text,
    });
  });

  it("refuses a declared length over the limit with payload_too_large", async () => {
    const { status, body } = await post(["b".repeat(LIMIT + 1)], true);
    expect(status).toBe(413);
    expect(JSON.parse(body).error.code).toBe("payload_too_large");
  });

  it("counts a chunked body (no declared length) as it is read: within the limit it passes", async () => {
    expect(await post(["c".repeat(30), "d".repeat(30)], false)).toEqual({
      status: 200,
      body: `${"c".repeat(30)}${"d".repeat(30)}`,
    });
  });

  it("refuses a chunked body once its chunks pass the limit", async () => {
    const { status, body } = await post(["e".repeat(40), "f".repeat(40)], false);
    expect(status).toBe(413);
    expect(JSON.parse(body).error.code).toBe("payload_too_large");
  });
});
