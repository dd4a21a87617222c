import { once } from "node:events";

/** How a command talks to its caller; main wires it to the terminal. */
export interface CommandIo {
  /** One line of the command's output; resolves when more may be written (back-pressure). */
  out(line: string): Promise<void>;
  /** One line for the person running it (stderr): errors, usage, the position read up to. */
  note(line: string): void;
}

export const terminalIo: CommandIo = {
  async out(line) {
    if (!process.stdout.write(`${line}\n`)) await once(process.stdout, "drain");
  },
  note(line) {
    process.stderr.write(`${line}\n`);
  },
};

/**
 * Resolves once everything written before has been handed to the OS. A pipe's stdout is
 * asynchronous, so `process.exit` right after the last write drops what is still queued (up to
 * a high-water mark of lines): a reader of `log` saw the tail of its output vanish.
 */
export function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => stream.write("", () => resolve()));
}

/** Exit codes: 0 done, 1 the command failed (a bad file, a difference found), 2 bad usage. */
export const exitCode = { ok: 0, failed: 1, usage: 2 } as const;

/** Prints an error naming what is wrong and returns the "failed" exit code. */
export function failed(io: CommandIo, message: string): number {
  io.note(`replicas-engine: ${message}`);
  return exitCode.failed;
}
