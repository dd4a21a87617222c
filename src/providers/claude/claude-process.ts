import { createInterface } from "node:readline";
import { execa, type ResultPromise } from "execa";

const STDERR_TAIL_BYTES = 4096;

export interface ProcessExit {
  exitCode: number | null;
  signal: string | null;
  /** Set when the process could not be started (ENOENT, EACCES...). */
  spawnErrorCode: string | null;
  /** The last few KB of stderr, unredacted: callers redact before it leaves the adapter. */
  stderrTail: string;
}

export interface ProcessStart {
  binary: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  onLine: (raw: string) => void;
  onExit: (exit: ProcessExit) => void;
}

/**
 * One `claude` child process: newline-delimited JSON in and out. Its life is bounded by the
 * chat's idle timer and the engine's turn watchdog rather than a fixed execa timeout, since it
 * outlives many turns. onExit fires once, after every stdout line has been delivered.
 */
export class ClaudeProcess {
  private readonly child: ResultPromise;
  private stderrTail = "";
  private running = true;

  constructor(start: ProcessStart) {
    this.child = execa(start.binary, start.args, {
      cwd: start.cwd,
      env: start.env,
      extendEnv: false,
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
      buffer: false,
      reject: false,
      cleanup: true,
    });
    // A write after the process died must not crash the engine: the exit path reports it.
    this.child.stdin?.on("error", () => {});
    this.child.stderr?.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-STDERR_TAIL_BYTES);
    });
    const lines = this.child.stdout
      ? createInterface({ input: this.child.stdout, crlfDelay: Number.POSITIVE_INFINITY })
      : null;
    lines?.on("line", (raw) => {
      if (raw.trim()) start.onLine(raw);
    });
    const stdoutDone = lines
      ? new Promise<void>((resolve) => lines.once("close", () => resolve()))
      : Promise.resolve();

    void Promise.all([this.child, stdoutDone]).then(([result]) => {
      this.running = false;
      const code = (result as { code?: unknown }).code;
      start.onExit({
        exitCode: typeof result.exitCode === "number" ? result.exitCode : null,
        signal: result.signal ?? null,
        spawnErrorCode: result.exitCode === undefined && typeof code === "string" ? code : null,
        stderrTail: this.stderrTail,
      });
    });
  }

  get alive(): boolean {
    return this.running;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Writes one JSON message as a line on stdin; false when the process is gone. */
  write(message: unknown): boolean {
    const stdin = this.child.stdin;
    if (!this.running || !stdin || stdin.destroyed || stdin.writableEnded) return false;
    stdin.write(`${JSON.stringify(message)}\n`);
    return true;
  }

  /** Closing stdin after the last result makes the CLI exit 0 (its graceful stop). */
  closeInput(): void {
    this.child.stdin?.end();
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }
}
