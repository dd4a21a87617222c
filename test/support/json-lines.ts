import type { ResultPromise } from "execa";
import { readLines } from "../../src/providers/toolkit/line-reader.js";
import { waitUntil } from "./wait-until.js";

/** The JSON lines an agent's process writes to stdout, parsed as they come, and a wait for one. */
export interface JsonLines<T> {
  readonly lines: T[];
  /** The first line at or after `from` that matches; waits for it, fails once the process exits. */
  waitFor(match: (line: T) => boolean, from?: number): Promise<T>;
}

/**
 * Reads `child`'s stdout with the engine's own line reader (src/providers/toolkit/line-reader.ts),
 * so a test drives the real agent over the same framing as the adapters. `who` names the process
 * in a failure; `stderr` adds what it wrote there.
 */
export function jsonLines<T>(
  child: ResultPromise,
  who: string,
  stderr: () => string = () => "",
): JsonLines<T> {
  const lines: T[] = [];
  let exited = false;
  let failure: string | null = null;
  void child.finally(() => {
    exited = true;
  });
  if (child.stdout) {
    void readLines(child.stdout, {
      onLine: (line) => {
        const raw = line.trim();
        if (raw) lines.push(JSON.parse(raw) as T);
      },
      onTooLong: (bytes) => {
        failure = `${who} wrote a line of ${bytes} bytes, over the reader's bound`;
      },
    });
  }
  const waitFor = (match: (line: T) => boolean, from = 0) =>
    waitUntil(
      () => {
        const found = lines.slice(from).find(match);
        if (!found && failure) throw new Error(failure);
        if (!found && exited) {
          const written = stderr();
          throw new Error(`${who} exited without the line${written ? `; stderr: ${written}` : ""}`);
        }
        return found;
      },
      `${who} writes the expected line`,
      60_000,
    );
  return { lines, waitFor };
}
