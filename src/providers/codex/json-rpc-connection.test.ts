import { PassThrough } from "node:stream";
import { describe, expect, test } from "vitest";
import { readLines } from "../toolkit/line-reader.js";
import {
  JsonRpcConnection,
  type RpcNotification,
  type RpcServerRequest,
} from "./json-rpc-connection.js";

function connection() {
  const fromServer = new PassThrough();
  const toServer = new PassThrough();
  const notifications: RpcNotification[] = [];
  const requests: RpcServerRequest[] = [];
  const warnings: Record<string, unknown>[] = [];
  const rpc = new JsonRpcConnection(
    (message) => toServer.write(`${JSON.stringify(message)}\n`),
    { onNotification: (n) => notifications.push(n), onServerRequest: (r) => requests.push(r) },
    { debug: () => {}, warn: (fields) => warnings.push(fields) },
  );
  // As CodexProcess does: the connection closes when the process has gone.
  void readLines(fromServer, { onLine: (line) => rpc.receive(line), onTooLong: () => {} }).then(
    () => rpc.close(),
  );
  const sent: unknown[] = [];
  toServer.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n").filter(Boolean)) sent.push(JSON.parse(line));
  });
  const receive = (text: string) => fromServer.write(text);
  return { rpc, notifications, requests, warnings, sent, receive, fromServer };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("JsonRpcConnection", () => {
  test("matches replies to requests, dispatches notifications and server requests", async () => {
    const c = connection();
    const reply = c.rpc.request("thread/start", { cwd: "/w" });
    await tick();
    expect(c.sent).toEqual([{ id: 1, method: "thread/start", params: { cwd: "/w" } }]);
    c.receive(
      '{"method":"turn/started","params":{"threadId":"t"}}\n{"id":7,"method":"item/fileChange/requestApproval","params":{}}\n{"id":1,"result":{"thread":{"id":"t"}}}\n',
    );
    expect(await reply).toEqual({ ok: true, result: { thread: { id: "t" } } });
    expect(c.notifications).toEqual([{ method: "turn/started", params: { threadId: "t" } }]);
    expect(c.requests).toEqual([{ id: 7, method: "item/fileChange/requestApproval", params: {} }]);
  });

  test("an error reply is a typed failure, not a throw", async () => {
    const c = connection();
    const reply = c.rpc.request("turn/start", {});
    c.receive('{"id":1,"error":{"code":-32600,"message":"Invalid request"}}\n');
    expect(await reply).toEqual({ ok: false, error: { code: -32600, message: "Invalid request" } });
  });

  test("malformed lines are counted and logged, and the stream goes on", async () => {
    const c = connection();
    const reply = c.rpc.request("x", {});
    c.receive('not json\n[1,2]\n{"no":"method or id"}\n\n{"id":1,"result":{}}\n');
    expect(await reply).toEqual({ ok: true, result: {} });
    expect(c.rpc.malformedLines).toBe(3);
    expect(c.warnings.map((w) => w.count)).toEqual([1, 2, 3]);
  });

  test("when the stream closes, waiting and later requests fail", async () => {
    const c = connection();
    const waiting = c.rpc.request("x", {});
    c.fromServer.end();
    expect(await waiting).toEqual({
      ok: false,
      error: { code: -32000, message: "connection closed" },
    });
    expect(await c.rpc.request("y", {})).toMatchObject({ ok: false });
  });
});
