import { randomUUID } from "node:crypto";
import { stat } from "node:fs/promises";
import type { TurnError } from "../../events/chat-events.js";
import type { ComponentLogger } from "../../logger.js";
import type { ProviderOutput, TerminalOutput, TurnHandle, TurnRequest } from "../provider.js";
import { claudeArgs } from "./claude-args.js";
import {
  type ControlRequestLine,
  type ControlResponseLine,
  isLine,
  parseClaudeLine,
} from "./claude-lines.js";
import { ClaudeProcess, type ProcessExit } from "./claude-process.js";
import { ClaudeLineMapper } from "./line-mapper.js";
import { decidePermission, type PermissionMode } from "./permission-policy.js";
import { redactSecrets } from "./secret-redaction.js";
import { terminalFromResult } from "./turn-result.js";

export interface ClaudeChatDeps {
  chatId: string;
  /** Resolves the binary at spawn time; null when it is missing. */
  resolveBinary: () => Promise<string | null>;
  env: Record<string, string>;
  idleMs: number;
  controlTimeoutMs: number;
  stopGraceMs: number;
  logger: ComponentLogger;
}

interface LiveProcess {
  proc: ClaudeProcess;
  exited: Promise<void>;
  cwd: string;
  model: string | undefined;
  permissionMode: PermissionMode;
  resumedFrom: string | null;
  /** stdin was closed to stop it: no new turn may be written to it. */
  stopping: boolean;
}

interface ActiveTurn {
  request: TurnRequest;
  emit: (output: ProviderOutput) => void;
  mapper: ClaudeLineMapper;
  interruptRequested: boolean;
  userSent: boolean;
  finished: boolean;
  /** Set while a resume that found no session is being retried as a fresh session. */
  restartingFresh: boolean;
}

type ControlAnswer = { ok: true } | { ok: false; error: string };

const NO_SESSION = /No conversation found with session ID/;
const PERMISSION_MODES = new Set(["default", "acceptEdits", "plan", "bypassPermissions"]);

/**
 * One chat's side of the adapter: at most one live `claude` process and at most one turn.
 * The process outlives turns; it is (re)started with `--resume` when missing, when the working
 * directory changes, or when a settings change cannot be applied by a control message, and it
 * is stopped after `idleMs` without a turn.
 */
export class ClaudeChat {
  private live: LiveProcess | null = null;
  private turn: ActiveTurn | null = null;
  private sessionId: string | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly pendingControls = new Map<string, (answer: ControlAnswer) => void>();
  private malformedLines = 0;

  constructor(private readonly deps: ClaudeChatDeps) {}

  get processId(): number | undefined {
    return this.live?.proc.pid;
  }

  startTurn(request: TurnRequest, emit: (output: ProviderOutput) => void): TurnHandle {
    if (this.turn) {
      emit({
        kind: "failed",
        error: { code: "turn_in_progress", message: "This chat already has a running turn." },
      });
      return { interrupt: () => {}, signal: () => {}, kill: () => {} };
    }
    this.clearIdleTimer();
    const turn: ActiveTurn = {
      request,
      // A throwing handler must not take the stdout reader (and the engine) down with it.
      emit: (output) => {
        try {
          emit(output);
        } catch (error) {
          this.deps.logger.warn(
            {
              chatId: this.deps.chatId,
              output: output.kind,
              error: String(error),
            },
            "claude: the output handler threw",
          );
        }
      },
      mapper: new ClaudeLineMapper(),
      interruptRequested: false,
      userSent: false,
      finished: false,
      restartingFresh: false,
    };
    this.turn = turn;
    void this.run(turn).catch((error: unknown) => {
      this.finish(
        turn,
        this.failure("provider_error", `The Claude adapter failed: ${String(error)}`),
      );
    });
    return {
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
      this.live?.proc.signal("SIGKILL");
      this.finish(turn, { kind: "interrupted" });
    }
    await this.stopProcess();
    this.clearIdleTimer();
  }

  private async run(turn: ActiveTurn): Promise<void> {
    const { request } = turn;
    const permissionMode = request.settings.permissionMode ?? "default";
    const model = request.settings.model;
    // A process on its way out (idle stop, a signal) is waited for, with escalation if it lingers.
    if (this.live?.stopping) await this.stopProcess();
    if (this.live && this.live.cwd !== request.cwd) await this.stopProcess();
    if (this.live && this.live.permissionMode !== permissionMode) {
      const answer = await this.control({ subtype: "set_permission_mode", mode: permissionMode });
      if (answer.ok && this.live) this.live.permissionMode = permissionMode;
      else await this.stopProcess();
    }
    if (this.live && model && this.live.model !== model) {
      const answer = await this.control({ subtype: "set_model", model });
      if (answer.ok && this.live) this.live.model = model;
      else await this.stopProcess();
    }
    if (turn.finished) return;
    if (!this.live) {
      const started = await this.spawn(turn, this.sessionId ?? request.resumeSessionId);
      if (!started || turn.finished) return;
    }
    this.sendUserMessage(turn);
  }

  private sendUserMessage(turn: ActiveTurn): void {
    const sent = this.live?.proc.write({
      type: "user",
      session_id: "",
      message: { role: "user", content: [{ type: "text", text: turn.request.text }] },
      parent_tool_use_id: null,
    });
    turn.userSent = sent === true;
    if (!sent) {
      this.finish(
        turn,
        this.failure(
          "provider_process_exited",
          "The claude process ended before the message could be sent.",
        ),
      );
    }
  }

  private async spawn(turn: ActiveTurn, resumeSessionId: string | null): Promise<boolean> {
    const { request } = turn;
    const isDir = await stat(request.cwd).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir) {
      this.finish(
        turn,
        this.failure(
          "cwd_not_found",
          `The chat's working directory does not exist: ${request.cwd}`,
        ),
      );
      return false;
    }
    const binary = await this.deps.resolveBinary();
    if (!binary) {
      this.finish(turn, this.missingBinary());
      return false;
    }
    if (turn.finished) return false;
    const permissionMode = request.settings.permissionMode ?? "default";
    const model = request.settings.model;
    let markExited = () => {};
    const exited = new Promise<void>((resolve) => {
      markExited = resolve;
    });
    const proc: ClaudeProcess = new ClaudeProcess({
      binary,
      args: claudeArgs({ model, permissionMode, resumeSessionId }),
      cwd: request.cwd,
      env: this.deps.env,
      onLine: (raw) => this.onLine(proc, raw),
      onExit: (exit) => {
        this.onExit(proc, exit);
        markExited();
      },
    });
    this.live = {
      proc,
      exited,
      cwd: request.cwd,
      model,
      permissionMode,
      resumedFrom: resumeSessionId,
      stopping: false,
    };
    return true;
  }

  private onLine(proc: ClaudeProcess, raw: string): void {
    if (this.live?.proc !== proc) return;
    const parsed = parseClaudeLine(raw);
    if (!parsed.ok) {
      this.malformedLines += 1;
      this.deps.logger.warn(
        {
          chatId: this.deps.chatId,
          reason: parsed.reason,
          malformedLines: this.malformedLines,
          length: raw.length,
        },
        "claude: malformed stdout line ignored",
      );
      return;
    }
    const line = parsed.line;
    if (isLine(line, "control_response")) {
      this.onControlResponse(line);
      return;
    }
    if (isLine(line, "control_request")) {
      this.onControlRequest(line);
      return;
    }
    if (
      isLine(line, "system") &&
      line.subtype === "status" &&
      PERMISSION_MODES.has(line.permissionMode ?? "")
    ) {
      // ExitPlanMode approval switches the CLI out of plan mode by itself.
      this.live.permissionMode = line.permissionMode as PermissionMode;
    }
    const turn = this.turn;
    if (!turn?.userSent) return;
    if (isLine(line, "result")) {
      if (line.session_id) this.sessionId = line.session_id;
      const noSession = line.errors?.some((e) => NO_SESSION.test(e)) === true;
      if (noSession && this.live.resumedFrom && !turn.restartingFresh) {
        turn.restartingFresh = true;
        return;
      }
      this.finish(turn, terminalFromResult(line, turn.interruptRequested));
      return;
    }
    for (const output of turn.mapper.map(line)) {
      if (output.kind === "session") this.sessionId = output.sessionId;
      turn.emit(output);
    }
  }

  private onControlResponse(line: ControlResponseLine): void {
    const id = line.response?.request_id;
    const resolve = id ? this.pendingControls.get(id) : undefined;
    if (!id || !resolve) return;
    this.pendingControls.delete(id);
    resolve(
      line.response?.subtype === "success"
        ? { ok: true }
        : { ok: false, error: line.response?.error ?? "control request failed" },
    );
  }

  private onControlRequest(line: ControlRequestLine): void {
    const requestId = line.request_id;
    if (!requestId || !this.live) return;
    const request = line.request;
    if (request?.subtype !== "can_use_tool" || typeof request.tool_name !== "string") {
      this.live.proc.write({
        type: "control_response",
        response: {
          subtype: "error",
          request_id: requestId,
          error: `Unsupported control request: ${request?.subtype ?? "none"}`,
        },
      });
      return;
    }
    const mode = this.turn?.request.settings.permissionMode ?? this.live.permissionMode;
    const decision = decidePermission(request.tool_name, request.input ?? {}, mode);
    this.live.proc.write({
      type: "control_response",
      response: { subtype: "success", request_id: requestId, response: decision },
    });
  }

  private onExit(proc: ClaudeProcess, exit: ProcessExit): void {
    if (this.live?.proc !== proc) return;
    const resumedFrom = this.live.resumedFrom;
    this.live = null;
    for (const resolve of this.pendingControls.values())
      resolve({ ok: false, error: "process exited" });
    this.pendingControls.clear();
    const turn = this.turn;
    if (!turn || turn.finished) return;
    if (turn.restartingFresh && !turn.interruptRequested) {
      this.restartFresh(turn, resumedFrom);
      return;
    }
    // A turn still preparing waited for this exit (a stopping process) and starts a new one.
    if (!turn.userSent) return;
    if (exit.spawnErrorCode === "ENOENT") this.finish(turn, this.missingBinary());
    else if (turn.interruptRequested) this.finish(turn, { kind: "interrupted" });
    else this.finish(turn, this.processFailure(exit));
  }

  /** The session to resume is gone (another HOME, files wiped): continue in a new session. */
  private restartFresh(turn: ActiveTurn, lostSession: string | null): void {
    this.sessionId = null;
    turn.userSent = false;
    turn.emit({
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
        if (started && !turn.finished) this.sendUserMessage(turn);
      })
      .catch((error: unknown) => {
        this.finish(
          turn,
          this.failure("provider_error", `Restarting claude failed: ${String(error)}`),
        );
      });
  }

  private stopTurn(turn: ActiveTurn, signal: NodeJS.Signals | null): void {
    if (turn.finished) return;
    turn.interruptRequested = true;
    const live = this.live;
    if (!turn.userSent || !live) {
      this.finish(turn, { kind: "interrupted" });
      return;
    }
    if (signal) {
      // The CLI exits after a signal: the next turn must wait for that and start a new process.
      live.stopping = true;
      live.proc.signal(signal);
    } else
      live.proc.write({
        type: "control_request",
        request_id: randomUUID(),
        request: { subtype: "interrupt" },
      });
  }

  private finish(turn: ActiveTurn, output: TerminalOutput): void {
    if (turn.finished) return;
    turn.finished = true;
    if (this.turn === turn) this.turn = null;
    turn.emit(output);
    this.armIdleTimer();
  }

  private control(request: Record<string, unknown>): Promise<ControlAnswer> {
    const live = this.live;
    if (!live) return Promise.resolve({ ok: false, error: "no process" });
    const requestId = randomUUID();
    return new Promise<ControlAnswer>((resolve) => {
      const timer = setTimeout(() => {
        this.pendingControls.delete(requestId);
        resolve({ ok: false, error: "timed out" });
      }, this.deps.controlTimeoutMs);
      this.pendingControls.set(requestId, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      live.proc.write({ type: "control_request", request_id: requestId, request });
    });
  }

  /** Graceful stop: close stdin (the CLI exits 0), then SIGTERM, then SIGKILL. */
  private async stopProcess(): Promise<void> {
    const live = this.live;
    if (!live) return;
    const grace = this.deps.stopGraceMs;
    live.stopping = true;
    live.proc.closeInput();
    const timers: NodeJS.Timeout[] = [
      setTimeout(() => live.proc.signal("SIGTERM"), grace),
      setTimeout(() => live.proc.signal("SIGKILL"), grace * 2),
    ];
    await live.exited;
    for (const timer of timers) clearTimeout(timer);
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

  private failure(
    code: string,
    message: string,
    details?: Record<string, unknown>,
  ): TerminalOutput {
    const error: TurnError = details ? { code, message, details } : { code, message };
    return { kind: "failed", error };
  }

  private missingBinary(): TerminalOutput {
    return this.failure(
      "provider_not_found",
      "The claude binary was not found: install Claude Code or set REPLICAS_CLAUDE_BIN.",
    );
  }

  private processFailure(exit: ProcessExit): TerminalOutput {
    const how = exit.signal
      ? `was killed by ${exit.signal}`
      : `exited with code ${exit.exitCode ?? "unknown"}`;
    return this.failure(
      "provider_process_exited",
      `The claude process ${how} before the turn ended.`,
      {
        exitCode: exit.exitCode,
        signal: exit.signal,
        spawnErrorCode: exit.spawnErrorCode,
        stderrTail: redactSecrets(exit.stderrTail, this.deps.env),
      },
    );
  }
}
