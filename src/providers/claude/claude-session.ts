import { stat } from "node:fs/promises";
import type { ComponentLogger } from "../../logger.js";
import {
  type ApprovalReply,
  endedTurnHandle,
  type ProviderOutput,
  type TerminalOutput,
  type TurnHandle,
  type TurnRequest,
} from "../provider.js";
import type { AgentBinary } from "../toolkit/agent-binary.js";
import { type AgentExit, exitFailure } from "../toolkit/agent-process.js";
import { failed, providerErrorCodes } from "../toolkit/error-codes.js";
import {
  answerApproval,
  answerPermissionRequest,
  recordDeferred,
  settleDeferred,
} from "./approvals.js";
import type { ClaudeProcess, LaunchClaude } from "./claude-process.js";
import { type ClaudeLine, isLine, userContent } from "./claude-protocol.js";
import { type PermissionMode, permissionModeOf } from "./launch-settings.js";
import { RunningTurn } from "./running-turn.js";
import { terminalFromResult } from "./turn-result.js";

export interface ClaudeSessionDeps {
  chatId: string;
  binary: AgentBinary;
  launch: LaunchClaude;
  /** The provider's spare process for a new session in `cwd` (claude-spare.ts), if one fits. */
  takeSpare: (cwd: string, model: string | undefined) => ClaudeProcess | null;
  /** A turn of this chat ended (after `busy` turned false). */
  onTurnEnded: (request: TurnRequest, output: TerminalOutput) => void;
  idleMs: number;
  stopGraceMs: number;
  /** The mode an approved plan is carried out in. */
  afterPlanMode: PermissionMode;
  logger: ComponentLogger;
}

const NO_SESSION = /No conversation found with session ID/;

/**
 * One chat's side of the adapter: at most one live `claude` process and at most one turn.
 * The process outlives turns; it is (re)started with `--resume <the turn request's session>`
 * when missing, when the working directory changes, or when a settings change cannot be
 * applied by a control message, and it is stopped after `idleMs` without a turn. The session
 * id is the engine's (TurnRequest.resumeSessionId): the adapter keeps none of its own. A turn
 * with no session to resume and no process takes the provider's spare when it fits.
 */
export class ClaudeSession {
  private live: ClaudeProcess | null = null;
  private turn: RunningTurn | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private malformedLines = 0;

  constructor(private readonly deps: ClaudeSessionDeps) {}

  get processId(): number | undefined {
    return this.live?.pid;
  }

  /** A turn is open (running, or waiting for an answer). */
  get busy(): boolean {
    return this.turn !== null;
  }

  startTurn(request: TurnRequest, emit: (output: ProviderOutput) => void): TurnHandle {
    const turn = new RunningTurn(request, emit, this.deps.logger);
    if (this.turn) {
      turn.end(failed(providerErrorCodes.turnInProgress, "This chat already has a running turn."));
      return endedTurnHandle;
    }
    this.clearIdleTimer();
    this.turn = turn;
    // A turn left waiting on a deferred call (the engine restarted): the answer resumes it.
    if (request.deferred)
      turn.deferred = { ...request.deferred, sessionId: request.resumeSessionId };
    else
      void this.run(turn).catch((error: unknown) => {
        this.finish(
          turn,
          failed(providerErrorCodes.error, `The Claude adapter failed: ${String(error)}`),
        );
      });
    return {
      answer: (approvalId, reply) => this.answer(turn, approvalId, reply),
      interrupt: () => this.stopTurn(turn, null),
      signal: () => this.stopTurn(turn, "SIGINT"),
      kill: () => this.stopTurn(turn, "SIGKILL"),
    };
  }

  /** Ends the chat's process (idle, release, shutdown); a turn still open ends interrupted. */
  async stop(): Promise<void> {
    this.clearIdleTimer();
    const turn = this.turn;
    if (turn) {
      turn.interruptRequested = true;
      this.live?.signal("SIGKILL");
      this.finish(turn, { kind: "interrupted" });
    }
    await this.stopProcess();
    this.clearIdleTimer();
  }

  private async run(turn: RunningTurn): Promise<void> {
    const { request } = turn;
    // A new chat's first turn: a spare started ahead saves the CLI's start, most of such a turn;
    // it is then this chat's process, adopting the turn's settings below like any live one.
    if (!this.live && request.resumeSessionId === null) {
      const spare = this.deps.takeSpare(request.cwd, request.settings.model);
      if (spare) this.attach(spare);
    }
    // A process on its way out (idle stop, a signal) is waited for, with escalation if it lingers.
    if (this.live?.stopping) await this.stopProcess();
    if (this.live && this.live.cwd !== request.cwd) await this.stopProcess();
    const live = this.live;
    if (live && !(await live.adopt(permissionModeOf(request.settings), request.settings.model)))
      await this.stopProcess();
    if (turn.ended) return;
    if (!this.live && !(await this.spawn(turn, request.resumeSessionId))) return;
    await this.sendUserMessage(turn);
  }

  private async sendUserMessage(turn: RunningTurn): Promise<void> {
    const content = await userContent(turn.request).catch((error: Error) => error);
    if (content instanceof Error) {
      const message = `An attached image could not be read: ${content.message}`;
      this.finish(turn, failed(providerErrorCodes.attachmentUnreadable, message));
      return;
    }
    if (turn.ended) return;
    turn.userSent = this.live?.sendUserMessage(content) === true;
    if (!turn.userSent) {
      this.finish(
        turn,
        failed(
          providerErrorCodes.processExited,
          "The claude process ended before the message could be sent.",
        ),
      );
    }
  }

  private async spawn(
    turn: RunningTurn,
    resumeSessionId: string | null,
    extraEnv: Record<string, string> = {},
  ): Promise<boolean> {
    const { request } = turn;
    const isDir = await stat(request.cwd).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir) {
      const message = `The chat's working directory does not exist: ${request.cwd}`;
      this.finish(turn, failed(providerErrorCodes.cwdNotFound, message));
      return false;
    }
    const binary = await this.deps.binary.resolve();
    if (!binary) {
      this.finish(turn, { kind: "failed", error: this.deps.binary.missing() });
      return false;
    }
    if (turn.ended) return false;
    const settings = {
      model: request.settings.model,
      permissionMode: permissionModeOf(request.settings),
      resumeSessionId,
    };
    this.attach(this.deps.launch(binary, request.cwd, settings, extraEnv));
    return true;
  }

  /** Makes the process this chat's: its output comes here, its exit ends the turn it holds. */
  private attach(proc: ClaudeProcess): void {
    proc.bind({
      onLine: (line) => this.onLine(proc, line),
      onMalformed: (reason, length) => {
        this.malformedLines += 1;
        this.deps.logger.warn(
          { chatId: this.deps.chatId, reason, malformedLines: this.malformedLines, length },
          "claude: malformed stdout line ignored",
        );
      },
      onPermissionRequest: (requestId, ask) => {
        const turn = this.live === proc ? this.turn : null;
        answerPermissionRequest(proc, requestId, ask, turn, this.deps.afterPlanMode);
      },
    });
    this.live = proc;
    void proc.exited.then((exit) => this.onExit(proc, exit));
  }

  private onLine(proc: ClaudeProcess, line: ClaudeLine): void {
    const turn = this.turn;
    if (this.live !== proc || !turn?.userSent) return;
    if (isLine(line, "result")) {
      if (line.stop_reason === "tool_deferred" && recordDeferred(turn, line)) {
        // This process takes no more message; the answer resumes the session in a new one.
        void this.stopProcess();
        return;
      }
      const noSession = line.errors?.some((e) => NO_SESSION.test(e)) === true;
      if (noSession && proc.resumedFrom && !turn.restartingFresh) {
        turn.restartingFresh = true;
        return;
      }
      this.finish(turn, terminalFromResult(line, turn.interruptRequested));
      return;
    }
    for (const output of turn.mapper.map(line)) turn.report(output);
  }

  /** The deferred call's answer: a new process resumes the session and the hook decides. */
  private async resumeDeferred(turn: RunningTurn, reply: ApprovalReply): Promise<void> {
    const resume = settleDeferred(turn, reply);
    if (!resume) return;
    await this.stopProcess();
    if (turn.ended) return;
    if (!(await this.spawn(turn, resume.sessionId, resume.env))) return;
    // No message: the resumed process settles the call by itself, in the same turn.
    turn.userSent = true;
  }

  /** An answer resumes a deferred call or goes to the CLI waiting for it. */
  private answer(turn: RunningTurn, approvalId: string, reply: ApprovalReply): void {
    if (turn.ended || this.turn !== turn) return;
    if (turn.deferred?.approvalId === approvalId) {
      void this.resumeDeferred(turn, reply).catch((error: unknown) => {
        const message = `Resuming claude with the answer failed: ${String(error)}`;
        this.finish(turn, failed(providerErrorCodes.error, message));
      });
      return;
    }
    answerApproval(this.live, turn, approvalId, reply, this.deps.afterPlanMode);
  }

  /** The process exited (not merely closed stdout): the turn it held ends now. */
  private onExit(proc: ClaudeProcess, exit: AgentExit): void {
    if (this.live !== proc) return;
    this.live = null;
    const turn = this.turn;
    if (!turn || turn.ended) return;
    if (exit.lineTooLong === null && turn.restartingFresh && !turn.interruptRequested) {
      this.restartFresh(turn, proc.resumedFrom);
      return;
    }
    // A turn still preparing waited for this exit (a stopping process) and starts a new one.
    if (!turn.userSent) return;
    if (exit.spawnErrorCode === "ENOENT") {
      this.finish(turn, { kind: "failed", error: this.deps.binary.missing() });
    } else if (turn.interruptRequested && exit.lineTooLong === null) {
      this.finish(turn, { kind: "interrupted" });
    } else this.finish(turn, exitFailure("claude", exit));
  }

  /** The session to resume is gone (another HOME, files wiped): continue in a new session. */
  private restartFresh(turn: RunningTurn, lostSession: string | null): void {
    turn.userSent = false;
    turn.report({
      kind: "item",
      itemId: `${turn.request.turnId}:session-lost`,
      item: {
        type: "notice",
        level: "warning",
        message: `The agent session ${lostSession ?? ""} was not found; this turn starts a new session without the earlier conversation.`,
      },
    });
    void this.spawn(turn, null)
      .then((started) => {
        if (started) return this.sendUserMessage(turn);
      })
      .catch((error: unknown) => {
        const message = `Restarting claude failed: ${String(error)}`;
        this.finish(turn, failed(providerErrorCodes.error, message));
      });
  }

  private stopTurn(turn: RunningTurn, signal: NodeJS.Signals | null): void {
    if (turn.ended) return;
    turn.interruptRequested = true;
    const live = this.live;
    if (!turn.userSent || !live) {
      this.finish(turn, { kind: "interrupted" });
      return;
    }
    // The CLI exits after a signal: the next turn waits for that and starts a new process.
    if (signal) live.signal(signal);
    else live.interrupt();
  }

  private finish(turn: RunningTurn, output: TerminalOutput): void {
    if (!turn.end(output)) return;
    if (this.turn === turn) this.turn = null;
    // A refused key fails every later turn of this process, which would hold its memory until
    // the idle stop: the next turn starts one that reads the credentials as they are by then.
    if (output.kind === "failed" && output.error.code === providerErrorCodes.authFailed)
      void this.stopProcess();
    else this.armIdleTimer();
    this.deps.onTurnEnded(turn.request, output);
  }

  private async stopProcess(): Promise<void> {
    await this.live?.stop(this.deps.stopGraceMs);
  }

  private armIdleTimer(): void {
    this.clearIdleTimer();
    if (!this.live) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (!this.turn) void this.stopProcess();
    }, this.deps.idleMs);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
