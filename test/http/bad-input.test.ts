import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, TEST_SECRET } from "../support/engine-harness.js";
import { waitUntil } from "../support/wait-until.js";

let engine: Harness;
let positionBefore: number;

beforeAll(async () => {
  engine = await startHarness();
  await engine.client.createChat({ chatId: "c1", provider: "claude" });
  // The boot's start-hooks run records itself asynchronously: let it finish first.
  await waitUntil(
    async () => (await engine.client.get<{ state: string }>("/hooks/status")).state === "completed",
    "boot settles",
  );
  positionBefore = (await engine.client.status()).position;
});
afterAll(() => engine.stop());

interface Case {
  name: string;
  method: string;
  path: string;
  body?: string;
  contentType?: string | null;
  headers?: Record<string, string>;
  status: number;
  code: string;
  message?: RegExp;
}

const json = "application/json";
const big = JSON.stringify({ text: "x".repeat(1024 * 1024 + 10) });

const cases: Case[] = [
  {
    name: "create: missing provider",
    method: "POST",
    path: "/chats",
    body: "{}",
    status: 400,
    code: "invalid_body",
    message: /provider/,
  },
  {
    name: "create: provider of the wrong type",
    method: "POST",
    path: "/chats",
    body: '{"provider":7}',
    status: 400,
    code: "invalid_body",
    message: /provider/,
  },
  {
    name: "create: unknown provider",
    method: "POST",
    path: "/chats",
    body: '{"provider":"gemini"}',
    status: 400,
    code: "invalid_body",
    message: /provider/,
  },
  {
    name: "create: unknown field",
    method: "POST",
    path: "/chats",
    body: '{"provider":"claude","colour":"red"}',
    status: 400,
    code: "invalid_body",
    message: /colour/,
  },
  {
    name: "create: relative cwd",
    method: "POST",
    path: "/chats",
    body: '{"provider":"claude","cwd":"work"}',
    status: 400,
    code: "invalid_body",
    message: /cwd: must be an absolute path/,
  },
  {
    name: "create: missing cwd",
    method: "POST",
    path: "/chats",
    body: '{"provider":"claude","cwd":"/no/such/dir"}',
    status: 400,
    code: "invalid_cwd",
    message:
      /"\/no\/such\/dir" is not an existing directory: it does not exist\. Without "cwd" a chat runs in the workspaces root ".+\/workspaces" \(set by REPLICAS_WORKSPACES_ROOT\)/,
  },
  {
    name: "create: cwd under a file",
    method: "POST",
    path: "/chats",
    body: '{"provider":"claude","cwd":"/etc/passwd/x"}',
    status: 400,
    code: "invalid_cwd",
    message: /a part of it is not a directory/,
  },
  {
    name: "create: cwd that is a file",
    method: "POST",
    path: "/chats",
    body: '{"provider":"claude","cwd":"/etc/passwd"}',
    status: 400,
    code: "invalid_cwd",
    message: /it is not a directory/,
  },
  {
    name: "create: cwd with a NUL byte",
    method: "POST",
    path: "/chats",
    body: '{"provider":"claude","cwd":"/tmp/a\\u0000b"}',
    status: 400,
    code: "invalid_cwd",
    message: /NUL byte/,
  },
  {
    name: "create: cwd with a component over 255 bytes",
    method: "POST",
    path: "/chats",
    body: JSON.stringify({ provider: "claude", cwd: `/tmp/${"x".repeat(256)}` }),
    status: 400,
    code: "invalid_cwd",
    message: /longer than 255 bytes/,
  },

  {
    name: "create: bad chat id",
    method: "POST",
    path: "/chats",
    body: '{"provider":"claude","chatId":"a b/c"}',
    status: 400,
    code: "invalid_body",
    message: /chatId/,
  },
  {
    name: "create: bad permission mode",
    method: "POST",
    path: "/chats",
    body: '{"provider":"claude","settings":{"permissionMode":"yolo"}}',
    status: 400,
    code: "invalid_body",
    message: /settings\.permissionMode/,
  },
  {
    name: "create: misspelled setting",
    method: "POST",
    path: "/chats",
    body: '{"provider":"claude","settings":{"permisionMode":"plan"}}',
    status: 400,
    code: "invalid_body",
    message:
      /settings\.permisionMode: unknown setting "permisionMode"; the accepted settings are model, permissionMode, sandbox, approvalPolicy/,
  },
  {
    name: "create: settings as an array",
    method: "POST",
    path: "/chats",
    body: '{"provider":"claude","settings":[]}',
    status: 400,
    code: "invalid_body",
    message: /settings: must be an object; the accepted settings are model, permissionMode/,
  },
  {
    name: "create: settings as a string",
    method: "POST",
    path: "/chats",
    body: '{"provider":"claude","settings":"plan"}',
    status: 400,
    code: "invalid_body",
    message: /settings: must be an object; the accepted settings/,
  },
  {
    name: "create: not an object",
    method: "POST",
    path: "/chats",
    body: "[1,2]",
    status: 400,
    code: "invalid_body",
  },
  {
    name: "create: malformed JSON",
    method: "POST",
    path: "/chats",
    body: '{"provider":',
    status: 400,
    code: "malformed_json",
  },
  {
    name: "create: text/plain",
    method: "POST",
    path: "/chats",
    body: '{"provider":"claude"}',
    contentType: "text/plain",
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "create: no content type",
    method: "POST",
    path: "/chats",
    body: '{"provider":"claude"}',
    contentType: null,
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "create: huge body",
    method: "POST",
    path: "/chats",
    body: big,
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "read: bad id",
    method: "GET",
    path: "/chats/a%20b",
    status: 400,
    code: "invalid_path",
    message: /chatId/,
  },
  {
    name: "read: unknown chat",
    method: "GET",
    path: "/chats/nope",
    status: 404,
    code: "chat_not_found",
  },
  {
    name: "delete: unknown chat",
    method: "DELETE",
    path: "/chats/nope",
    status: 404,
    code: "chat_not_found",
  },
  {
    name: "delete: bad id",
    method: "DELETE",
    path: "/chats/a%2Fb",
    status: 400,
    code: "invalid_path",
  },
  {
    name: "history: unknown chat",
    method: "GET",
    path: "/chats/nope/history",
    status: 404,
    code: "chat_not_found",
  },
  {
    name: "history: limit not a number",
    method: "GET",
    path: "/chats/c1/history?limit=abc",
    status: 400,
    code: "invalid_query",
    message: /limit/,
  },
  {
    name: "history: limit zero",
    method: "GET",
    path: "/chats/c1/history?limit=0",
    status: 400,
    code: "invalid_query",
  },
  {
    name: "history: negative after",
    method: "GET",
    path: "/chats/c1/history?after=-1",
    status: 400,
    code: "invalid_query",
    message: /after/,
  },
  {
    name: "history: unknown parameter",
    method: "GET",
    path: "/chats/c1/history?before=3",
    status: 400,
    code: "invalid_query",
  },
  {
    name: "message: missing text",
    method: "POST",
    path: "/chats/c1/messages",
    body: "{}",
    status: 400,
    code: "invalid_body",
    message: /text/,
  },
  {
    name: "message: text of the wrong type",
    method: "POST",
    path: "/chats/c1/messages",
    body: '{"text":42}',
    status: 400,
    code: "invalid_body",
    message: /text/,
  },
  {
    name: "message: empty text",
    method: "POST",
    path: "/chats/c1/messages",
    body: '{"text":""}',
    status: 400,
    code: "invalid_body",
    message: /must not be empty/,
  },
  {
    name: "message: misspelled setting",
    method: "POST",
    path: "/chats/c1/messages",
    body: '{"text":"hi","settings":{"modle":"x"}}',
    status: 400,
    code: "invalid_body",
    message:
      /settings\.modle: unknown setting "modle"; the accepted settings are model, permissionMode/,
  },
  {
    name: "message: settings as an array",
    method: "POST",
    path: "/chats/c1/messages",
    body: '{"text":"hi","settings":["plan"]}',
    status: 400,
    code: "invalid_body",
    message: /settings: must be an object/,
  },
  {
    name: "message: unknown chat",
    method: "POST",
    path: "/chats/nope/messages",
    body: '{"text":"hi"}',
    status: 404,
    code: "chat_not_found",
  },
  {
    name: "message: huge body",
    method: "POST",
    path: "/chats/c1/messages",
    body: big,
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "message: form body",
    method: "POST",
    path: "/chats/c1/messages",
    body: "text=hi",
    contentType: "application/x-www-form-urlencoded",
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "message: malformed JSON",
    method: "POST",
    path: "/chats/c1/messages",
    body: "{text: hi}",
    status: 400,
    code: "malformed_json",
  },
  {
    name: "interrupt: unknown chat",
    method: "POST",
    path: "/chats/nope/interrupt",
    status: 404,
    code: "chat_not_found",
  },
  {
    name: "interrupt: unexpected field",
    method: "POST",
    path: "/chats/c1/interrupt",
    body: '{"force":true}',
    status: 400,
    code: "invalid_body",
  },
  {
    name: "interrupt: wrong content type",
    method: "POST",
    path: "/chats/c1/interrupt",
    body: "now",
    contentType: "text/plain",
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "approval: missing decision",
    method: "POST",
    path: "/chats/c1/approvals/appr_1",
    body: "{}",
    status: 400,
    code: "invalid_body",
    message: /decision/,
  },
  {
    name: "approval: unknown decision",
    method: "POST",
    path: "/chats/c1/approvals/appr_1",
    body: '{"decision":"maybe"}',
    status: 400,
    code: "invalid_body",
    message: /decision/,
  },
  {
    name: "approval: unknown scope",
    method: "POST",
    path: "/chats/c1/approvals/appr_1",
    body: '{"decision":"allow","scope":"forever"}',
    status: 400,
    code: "invalid_body",
    message: /scope/,
  },
  {
    name: "approval: unexpected field",
    method: "POST",
    path: "/chats/c1/approvals/appr_1",
    body: '{"decision":"allow","force":true}',
    status: 400,
    code: "invalid_body",
  },
  {
    name: "approval: answers not strings",
    method: "POST",
    path: "/chats/c1/approvals/appr_1",
    body: '{"decision":"allow","answers":{"Which?":3}}',
    status: 400,
    code: "invalid_body",
    message: /answers/,
  },
  {
    name: "approval: an approval id longer than any recorded",
    method: "POST",
    path: `/chats/c1/approvals/${"a".repeat(201)}`,
    body: '{"decision":"allow"}',
    status: 400,
    code: "invalid_path",
  },
  {
    name: "approval: unknown chat",
    method: "POST",
    path: "/chats/nope/approvals/appr_1",
    body: '{"decision":"allow"}',
    status: 404,
    code: "chat_not_found",
  },
  {
    name: "approval: unknown request",
    method: "POST",
    path: "/chats/c1/approvals/appr_1",
    body: '{"decision":"allow"}',
    status: 404,
    code: "approval_not_found",
  },
  {
    name: "approval: wrong content type",
    method: "POST",
    path: "/chats/c1/approvals/appr_1",
    body: "allow",
    contentType: "text/plain",
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "events: after not a number",
    method: "GET",
    path: "/events?after=abc",
    status: 400,
    code: "invalid_query",
    message: /after/,
  },
  {
    name: "events: bad type list",
    method: "GET",
    path: "/events?types=Chat!",
    status: 400,
    code: "invalid_query",
    message: /types/,
  },
  {
    name: "events: bad epoch",
    method: "GET",
    path: "/events?epoch=zz",
    status: 400,
    code: "invalid_query",
    message: /epoch/,
  },
  {
    name: "events: bad Last-Event-ID",
    method: "GET",
    path: "/events",
    headers: { "last-event-id": "x1" },
    status: 400,
    code: "invalid_last_event_id",
  },
  {
    name: "attachment: a type not listed",
    method: "POST",
    path: "/attachments",
    body: "PK",
    contentType: "application/zip",
    status: 415,
    code: "unsupported_media_type",
    message: /image\/png/,
  },
  {
    name: "attachment: an image that is not one",
    method: "POST",
    path: "/attachments",
    body: "plain words",
    contentType: "image/jpeg",
    status: 400,
    code: "media_type_mismatch",
    message: /image\/jpeg/,
  },
  {
    name: "attachment: unknown id",
    method: "GET",
    path: `/attachments/att_${"a".repeat(32)}`,
    status: 404,
    code: "attachment_not_found",
  },
  {
    name: "attachment: malformed id",
    method: "GET",
    path: "/attachments/photo.png",
    status: 400,
    code: "invalid_path",
    message: /attachment id/,
  },
  {
    name: "unknown route",
    method: "PUT",
    path: "/chats/c1",
    body: "{}",
    status: 404,
    code: "not_found",
  },
];

describe("bad input on every route", () => {
  for (const c of cases) {
    it(`${c.name}: ${c.status} ${c.code}`, async () => {
      const headers: Record<string, string> = {
        "x-replicas-engine-secret": TEST_SECRET,
        ...c.headers,
      };
      if (c.body !== undefined && c.contentType !== null)
        headers["content-type"] = c.contentType ?? json;
      const response = await fetch(engine.url + c.path, {
        method: c.method,
        headers,
        body: c.body,
      });
      expect(response.status).toBe(c.status);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(c.code);
      expect(typeof body.error.message).toBe("string");
      if (c.message) expect(body.error.message).toMatch(c.message);
    });
  }

  it("after all of it, the log has not changed and the engine still serves", async () => {
    const status = await engine.client.status();
    expect(status.position).toBe(positionBefore);
    const sent = await engine.client.sendMessage("c1", { text: "reply still here" });
    expect(sent.state).toMatch(/queued|started/);
  });
});
