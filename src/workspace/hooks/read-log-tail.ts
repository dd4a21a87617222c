import { constants } from "node:fs";
import { open } from "node:fs/promises";

export interface LogTail {
  /** The file's size now, in bytes (0 when it does not exist yet). */
  size: number;
  /** The last bytes of it, at most the bound, as text. */
  text: string;
  /** Whether earlier output was left out. */
  truncated: boolean;
}

/**
 * The end of the start hooks' log file: what a person looks at first. Opened non-blocking and
 * checked on the opened descriptor (a FIFO in its place never hangs a request); bounded, so a
 * hook that printed gigabytes costs one read of `maxBytes`.
 */
export async function readLogTail(path: string, maxBytes: number): Promise<LogTail> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => null);
  if (!handle) return { size: 0, text: "", truncated: false };
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { size: 0, text: "", truncated: false };
    const start = Math.max(0, info.size - maxBytes);
    const buffer = Buffer.alloc(info.size - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    return {
      size: info.size,
      text: buffer.subarray(0, bytesRead).toString("utf8"),
      truncated: start > 0,
    };
  } finally {
    await handle.close();
  }
}
