import { PassThrough } from "node:stream";
import { describe, expect, test } from "vitest";
import { MAX_LINE_BYTES, readLines } from "./line-reader.js";

function feed(chunks: (string | Buffer)[], maxLineBytes?: number) {
  const input = new PassThrough();
  const lines: string[] = [];
  const tooLong: number[] = [];
  const done = readLines(input, {
    onLine: (line) => lines.push(line),
    onTooLong: (bytes) => tooLong.push(bytes),
    maxLineBytes,
  });
  for (const chunk of chunks) input.write(chunk);
  input.end();
  return done.then(() => ({ lines, tooLong }));
}

describe("readLines", () => {
  test("splits lines across chunks, CRLF too, and delivers a final unterminated line", async () => {
    const { lines, tooLong } = await feed(['{"a":', '1}\r\n{"b"', ":2}\n\n", "last"]);
    expect(lines).toEqual(['{"a":1}', '{"b":2}', "", "last"]);
    expect(tooLong).toEqual([]);
  });

  test("a multi-byte character split between chunks is decoded whole", async () => {
    const bytes = Buffer.from("é\n", "utf8");
    const { lines } = await feed([bytes.subarray(0, 1), bytes.subarray(1)]);
    expect(lines).toEqual(["é"]);
  });

  test("a line over the bound is reported once with its size so far; nothing after it", async () => {
    const { lines, tooLong } = await feed(["ok\n", "x".repeat(6), "x".repeat(6), "\nmore\n"], 10);
    expect(lines).toEqual(["ok"]);
    expect(tooLong).toEqual([12]);
  });

  test("a line of exactly the bound passes", async () => {
    const { lines, tooLong } = await feed([`${"y".repeat(10)}\n`], 10);
    expect(lines).toEqual(["y".repeat(10)]);
    expect(tooLong).toEqual([]);
  });

  test("the default bound is 32 MiB", () => {
    expect(MAX_LINE_BYTES).toBe(32 * 1024 * 1024);
  });
});
