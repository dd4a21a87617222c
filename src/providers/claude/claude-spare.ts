import type { ComponentLogger } from "../../logger.js";
import type { AgentBinary } from "../toolkit/agent-binary.js";
import type { ClaudeProcess, LaunchClaude } from "./claude-process.js";
import type { PermissionMode } from "./launch-settings.js";

export interface ClaudeSpareDeps {
  binary: AgentBinary;
  launch: LaunchClaude;
  /** A spare nobody took is stopped after this long, as an idle chat's process is. */
  idleMs: number;
  stopGraceMs: number;
  logger: ComponentLogger;
}

/** What a spare is started with besides its cwd: the settings of the new chat before it. */
export interface SpareSettings {
  model: string | undefined;
  permissionMode: PermissionMode;
}

/**
 * A new session's `claude` can take `cwd` and `model` when it is running in that cwd and its
 * model can be set to the turn's: one started with `--model` cannot go back to the CLI's
 * default, which a turn with no model asks for. The mode is always set by control request.
 */
function fits(proc: ClaudeProcess, cwd: string, model: string | undefined): boolean {
  return proc.usable && proc.cwd === cwd && (proc.model === undefined || model !== undefined);
}

/**
 * One `claude` started ahead with no session (no `--resume`), for the next new chat: the CLI's
 * own start (500-900 ms) is most of a new chat's first turn. It is held with no handlers (its
 * output waits in ClaudeProcess until a session binds it), recorded in the process groups like
 * every agent process, stopped after `idleMs` and at shutdown. The provider decides when to
 * start one (docs/claude.md, "Spare process").
 */
export class ClaudeSpare {
  #process: ClaudeProcess | null = null;
  #idleTimer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(private readonly deps: ClaudeSpareDeps) {}

  get processId(): number | undefined {
    return this.#process?.pid;
  }

  /** Makes sure one fits a new chat in `cwd` with these settings; another one is replaced. */
  async start(cwd: string, settings: SpareSettings): Promise<void> {
    if (this.#process && fits(this.#process, cwd, settings.model)) return;
    this.#discard();
    const binary = await this.deps.binary.resolve();
    // Stopped meanwhile (shutdown), or another start won the race.
    if (!binary || this.#closed || this.#process) return;
    const proc = this.deps.launch(binary, cwd, { ...settings, resumeSessionId: null });
    this.#process = proc;
    void proc.exited.then((exit) => {
      if (this.#process !== proc) return;
      // Exited by itself, before anyone took it: the next new chat spawns as without a spare.
      this.#forget();
      this.deps.logger.warn(
        { pid: proc.pid, exitCode: exit.exitCode, signal: exit.signal, stderr: exit.stderrTail },
        "claude: the spare process exited before a chat took it",
      );
    });
    this.#idleTimer = setTimeout(() => this.#discard(), this.deps.idleMs);
    this.#idleTimer.unref();
  }

  /**
   * The spare, handed over (the caller binds it and owns it from now on) when it fits a new
   * session in `cwd` with `model`; otherwise it is stopped and null returned.
   */
  take(cwd: string, model: string | undefined): ClaudeProcess | null {
    const proc = this.#process;
    if (!proc) return null;
    this.#forget();
    if (fits(proc, cwd, model)) return proc;
    void proc.stop(this.deps.stopGraceMs);
    return null;
  }

  /** Shutdown: stops the spare and starts no other. */
  async stop(): Promise<void> {
    this.#closed = true;
    const proc = this.#process;
    this.#forget();
    await proc?.stop(this.deps.stopGraceMs);
  }

  #discard(): void {
    const proc = this.#process;
    this.#forget();
    void proc?.stop(this.deps.stopGraceMs);
  }

  #forget(): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
    this.#process = null;
  }
}
