import type { Readable } from "node:stream";

/**
 * The longest stdout line an agent may write: 32 MiB. A line is one JSON message; the largest
 * real ones (a file read, an image) are a few MB. Without a bound one runaway line (a CLI that
 * writes 600 MB without a newline) grows the engine until it crashes, taking every chat with it.
 */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;

export interface LineReaderOptions {
  onLine: (line: string) => void;
  /** Called once when a line passes the bound; no line is delivered after it. */
  onTooLong: (bytes: number) => void;
  maxLineBytes?: number;
}

/**
 * Splits a byte stream into newline-terminated UTF-8 lines (a final unterminated line too),
 * holding at most `maxLineBytes` of one line in memory. Node's readline has no such bound.
 */
export function readLines(input: Readable, options: LineReaderOptions): Promise<void> {
  const max = options.maxLineBytes ?? MAX_LINE_BYTES;
  let parts: Buffer[] = [];
  let held = 0;
  let tooLong = false;
  const emit = (tail: Buffer) => {
    const line = Buffer.concat([...parts, tail]).toString("utf8");
    parts = [];
    held = 0;
    options.onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
  };
  input.on("data", (chunk: Buffer) => {
    let start = 0;
    while (!tooLong) {
      const newline = chunk.indexOf(10, start);
      const length = (newline === -1 ? chunk.length : newline) - start;
      if (held + length > max) {
        // The rest of the stream is dropped: the caller ends the process.
        tooLong = true;
        options.onTooLong(held + length);
        parts = [];
        held = 0;
        return;
      }
      if (newline === -1) {
        if (length > 0) parts.push(chunk.subarray(start));
        held += length;
        return;
      }
      emit(chunk.subarray(start, newline));
      start = newline + 1;
    }
  });
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      if (!tooLong && held > 0) emit(Buffer.alloc(0));
      resolve();
    };
    input.once("end", finish);
    input.once("close", finish);
    input.once("error", finish);
  });
}
