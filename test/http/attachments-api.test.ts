import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_ATTACHMENT_BYTES } from "../../src/attachments/media-types.js";
import { type Harness, startHarness, TEST_SECRET } from "../support/engine-harness.js";

let engine: Harness;
beforeAll(async () => {
  engine = await startHarness();
});
afterAll(() => engine.stop());

const PNG = Buffer.concat([
  Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"),
  Buffer.from("pixels"),
]);

function upload(body: Buffer | string, contentType?: string, headers: Record<string, string> = {}) {
  return fetch(`${engine.url}/attachments`, {
    method: "POST",
    headers: {
      "x-replicas-engine-secret": TEST_SECRET,
      ...(contentType ? { "content-type": contentType } : {}),
      ...headers,
    },
    body,
  });
}

/** A chunked upload (no Content-Length), so the limit is counted as the bytes arrive. */
function uploadChunked(size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${engine.url}/attachments`,
      {
        method: "POST",
        headers: { "x-replicas-engine-secret": TEST_SECRET, "content-type": "text/plain" },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    const chunk = Buffer.alloc(1024 * 1024, "a");
    for (let sent = 0; sent < size; sent += chunk.length)
      req.write(chunk.subarray(0, Math.min(chunk.length, size - sent)));
    req.end();
  });
}

describe("POST /attachments", () => {
  it("stores an image and answers its id; the same bytes again answer the same id", async () => {
    const first = await upload(PNG, "image/png");
    expect(first.status).toBe(201);
    const { attachment } = (await first.json()) as { attachment: Record<string, unknown> };
    expect(attachment).toEqual({
      id: expect.stringMatching(/^att_[0-9a-f]{32}$/),
      mediaType: "image/png",
      size: PNG.length,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const again = await upload(PNG, "image/png");
    expect(again.status).toBe(200);
    expect(((await again.json()) as { attachment: unknown }).attachment).toEqual(attachment);

    const read = await fetch(`${engine.url}/attachments/${attachment.id}`, {
      headers: { "x-replicas-engine-secret": TEST_SECRET },
    });
    expect(read.status).toBe(200);
    expect(read.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await read.arrayBuffer())).toEqual(PNG);
  });

  it("takes exactly 20 MiB, and refuses one byte more with 413, with or without Content-Length", async () => {
    const exact = await upload(Buffer.alloc(MAX_ATTACHMENT_BYTES, "a"), "text/plain");
    expect(exact.status).toBe(201);
    const over = await upload(Buffer.alloc(MAX_ATTACHMENT_BYTES + 1, "a"), "text/plain");
    expect(over.status).toBe(413);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe(
      "payload_too_large",
    );
    expect(await uploadChunked(MAX_ATTACHMENT_BYTES + 1)).toBe(413);
    expect(await uploadChunked(MAX_ATTACHMENT_BYTES)).toBe(200);
  });

  it("keeps the 1 MiB limit on JSON bodies elsewhere", async () => {
    const res = await fetch(`${engine.url}/chats`, {
      method: "POST",
      headers: { "x-replicas-engine-secret": TEST_SECRET, "content-type": "application/json" },
      body: JSON.stringify({ provider: "claude", title: "x".repeat(1024 * 1024) }),
    });
    expect(res.status).toBe(413);
  });

  const refusals = [
    {
      name: "a type not listed",
      body: "zip",
      type: "application/zip",
      status: 415,
      code: "unsupported_media_type",
    },
    {
      name: "no content type",
      // A Buffer: fetch gives a string body a text/plain type of its own.
      body: Buffer.from("x"),
      type: undefined,
      status: 415,
      code: "unsupported_media_type",
    },
    {
      name: "an image whose bytes are not PNG",
      body: "GIF89a....",
      type: "image/png",
      status: 400,
      code: "media_type_mismatch",
    },
    {
      name: "a PDF that is not one",
      body: "hello",
      type: "application/pdf",
      status: 400,
      code: "media_type_mismatch",
    },
    {
      name: "text that is not UTF-8",
      body: Buffer.from([0xff, 0xfe, 0x00]),
      type: "text/plain",
      status: 400,
      code: "media_type_mismatch",
    },
  ];
  for (const c of refusals) {
    it(`refuses ${c.name} with ${c.status} ${c.code}, and the engine keeps serving`, async () => {
      const before = (await engine.client.status()).position;
      const res = await upload(c.body, c.type);
      expect(res.status).toBe(c.status);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(c.code);
      expect(body.error.message.length).toBeGreaterThan(10);
      expect((await engine.client.status()).position).toBe(before);
    });
  }

  it("needs the secret", async () => {
    const res = await fetch(`${engine.url}/attachments`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "x",
    });
    expect(res.status).toBe(401);
  });
});

describe("GET /attachments/:id", () => {
  it("answers 404 for an unknown id and 400 for a malformed one", async () => {
    const get = (id: string) =>
      fetch(`${engine.url}/attachments/${id}`, {
        headers: { "x-replicas-engine-secret": TEST_SECRET },
      });
    const unknown = await get(`att_${"0".repeat(32)}`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe(
      "attachment_not_found",
    );
    const malformed = await get("..%2F..%2Fetc");
    expect(malformed.status).toBe(400);
  });

  it("serves text as a download that cannot run in the engine's origin", async () => {
    const { attachment } = (await (
      await upload("<script>alert(1)</script>", "text/html")
    ).json()) as {
      attachment: { id: string };
    };
    const res = await fetch(`${engine.url}/attachments/${attachment.id}`, {
      headers: { "x-replicas-engine-secret": TEST_SECRET },
    });
    expect(res.headers.get("content-type")).toBe("text/html");
    expect(res.headers.get("content-disposition")).toBe("attachment");
    expect(res.headers.get("content-security-policy")).toMatch(/sandbox/);
  });
});
