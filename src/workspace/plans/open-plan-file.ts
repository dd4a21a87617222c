import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";

export interface OpenedPlanFile {
  handle: FileHandle;
  size: number;
  mtime: Date;
}

// O_NONBLOCK: a FIFO (or device) swapped in after the path was checked opens at once instead
// of parking a thread-pool thread until a writer shows up, which may be never.
// O_NOFOLLOW: a symlink swapped in is refused rather than followed out of the folder.
const flags = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

/**
 * Opens a resolved plan path for reading, never blocking: what counts is the opened descriptor
 * (fstat), not the path checked a moment earlier. Anything but a regular file is closed and is
 * simply not there (null). The caller closes the handle.
 */
export async function openPlanFile(path: string): Promise<OpenedPlanFile | null> {
  const handle = await open(path, flags).catch(() => null);
  if (!handle) return null;
  const info = await handle.stat().catch(() => null);
  if (info?.isFile()) return { handle, size: info.size, mtime: info.mtime };
  await handle.close();
  return null;
}

/**
 * At most `maxBytes` of the file, or null when it holds more: the bound holds even for a file
 * that grows after its size was read.
 */
export async function readAtMost(handle: FileHandle, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let length = 0;
  while (length <= maxBytes) {
    const chunk = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - length));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, length);
    if (bytesRead === 0) return Buffer.concat(chunks, length);
    chunks.push(chunk.subarray(0, bytesRead));
    length += bytesRead;
  }
  return null;
}
