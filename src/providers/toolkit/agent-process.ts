import { setTimeout as sleep } from "node:timers/promises";
import { execa, type ResultPromise } from "execa";
import type { TerminalOutput } from "../provider.js";
import { failed, providerErrorCodes } from "./error-codes.js";
import { MAX_LINE_BYTES, readLines } from "./line-reader.js";
import type { ProcessGroups } from "./process-groups.js";
import { StderrTail } from "./stderr-tail.js";

/** After the agent exits, how long its stdout may stay open (a writer outside its group). */
const STDOUT_DRAIN_MS = 2_000;

export interface AgentExit {
  exitCode: number | null;
  signal: string | null;
  /** Set when the process could not be started (ENOENT, EACCES...). */
  spawnErrorCode: string | null;
  /** The end of stderr, secrets removed (StderrTail). */
  stderrTail: string;
  /** The line bound was passed: the engine killed the process. */
  lineTooLong: number | null;
}

export interface AgentProcessStart {
  binary: string;
  args: string[];
  cwd?: string;
  env: Record<string, string>;
  groups: ProcessGroups;
  onLine: (line: string) => void;
  /** Each stderr line, redacted. */
  onStderrLine?: (line: string) => void;
}

/**
 * One agent child: newline-delimited JSON on stdio, in a process group of its own (see
 * ProcessGroups). It has ended when the process *exits*, not when stdout closes: a grandchild
 * that inherited stdout must not keep a turn open. On exit what is left of the group is
 * killed, the lines already written are delivered, then `exited` resolves (once).
 */
export class AgentProcess {
  readonly exited: Promise<AgentExit>;
  readonly #child: ResultPromise;
  readonly #groups: ProcessGroups;
  #running = true;
  #lineTooLong: number | null = null;

  constructor(start: AgentProcessStart) {
    this.#groups = start.groups;
    this.#child = execa(start.binary, start.args, {
      cwd: start.cwd,
      env: start.env,
      extendEnv: false,
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
      buffer: false,
      reject: false,
      detached: true,
    });
    const pid = this.#child.pid;
    if (pid !== undefined) this.#groups.add(pid);
    // A write after the process died must not crash the engine: the exit path reports it.
    this.#child.stdin?.on("error", () => {});
    const stderr = new StderrTail(start.env, start.onStderrLine);
    this.#child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString("utf8")));
    const stdout = this.#child.stdout;
    const linesDone = stdout
      ? readLines(stdout, {
          onLine: (line) => {
            if (line.trim()) start.onLine(line);
          },
          onTooLong: (bytes) => {
            // The stream cannot be trusted any more: the exit reports it (AgentExit.lineTooLong).
            this.#lineTooLong = bytes;
            this.kill();
          },
        })
      : Promise.resolve();
    const processExit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      this.#child.once("exit", (code, signal) => resolve({ code, signal })),
    );
    const spawnFailure = this.#child.then((result) => {
      const code = (result as { code?: unknown }).code;
      return result.exitCode === undefined && typeof code === "string" ? code : null;
    });

    this.exited = Promise.race([
      processExit.then((exit) => ({ ...exit, spawnErrorCode: null })),
      spawnFailure.then((spawnErrorCode) => ({ code: null, signal: null, spawnErrorCode })),
    ]).then(async ({ code, signal, spawnErrorCode }) => {
      this.#running = false;
      if (pid !== undefined) {
        this.#groups.signal(pid, "SIGKILL");
        this.#groups.remove(pid);
      }
      const drained = await Promise.race([
        linesDone.then(() => true),
        sleep(STDOUT_DRAIN_MS, false),
      ]);
      if (!drained) stdout?.destroy();
      return {
        exitCode: spawnErrorCode ? null : code,
        signal: spawnErrorCode ? null : signal,
        spawnErrorCode,
        stderrTail: stderr.text(),
        lineTooLong: this.#lineTooLong,
      };
    });
  }

  get alive(): boolean {
    return this.#running;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Writes one JSON message as a line on stdin; false when the process is gone. */
  write(message: unknown): boolean {
    const stdin = this.#child.stdin;
    if (!this.#running || !stdin || stdin.destroyed || stdin.writableEnded) return false;
    stdin.write(`${JSON.stringify(message)}\n`);
    return true;
  }

  /** Both CLIs exit by themselves once stdin is closed (their graceful stop). */
  closeInput(): void {
    this.#child.stdin?.end();
  }

  /** Signals the whole group: the agent and whatever it started. */
  signal(signal: NodeJS.Signals): void {
    const pid = this.#child.pid;
    if (this.#running && pid !== undefined) this.#groups.signal(pid, signal);
  }

  kill(): void {
    this.signal("SIGKILL");
  }

  /** Closes stdin, then SIGTERM, then SIGKILL to the group, `graceMs` apart; resolves on exit. */
  async stop(graceMs: number): Promise<AgentExit> {
    this.closeInput();
    const timers = [
      setTimeout(() => this.signal("SIGTERM"), graceMs),
      setTimeout(() => this.kill(), graceMs * 2),
    ];
    const exit = await this.exited;
    for (const timer of timers) clearTimeout(timer);
    return exit;
  }
}

/** The failure of a turn whose agent process ended under it. */
export function exitFailure(agent: string, exit: AgentExit): TerminalOutput {
  if (exit.lineTooLong !== null) {
    return failed(
      providerErrorCodes.lineTooLong,
      `The ${agent} process wrote a line longer than ${MAX_LINE_BYTES} bytes (${exit.lineTooLong} bytes without a newline); the engine stopped it.`,
      { bytes: exit.lineTooLong, maxLineBytes: MAX_LINE_BYTES, stderrTail: exit.stderrTail },
    );
  }
  const how = exit.signal
    ? `was killed by ${exit.signal}`
    : `exited with code ${exit.exitCode ?? "unknown"}`;
  return failed(
    providerErrorCodes.processExited,
    `The ${agent} process ${how} before the turn ended.`,
    {
      exitCode: exit.exitCode,
      signal: exit.signal,
      spawnErrorCode: exit.spawnErrorCode,
      stderrTail: exit.stderrTail,
    },
  );
}
