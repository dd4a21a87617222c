import { randomUUID } from "node:crypto";
import { AgentBinary } from "../toolkit/agent-binary.js";
import { type AgentExit, AgentProcess } from "../toolkit/agent-process.js";
import type { ProcessGroups } from "../toolkit/process-groups.js";
import type { CanUseTool } from "./approval-mapping.js";
import {
  type ClaudeLine,
  type ControlRequestLine,
  type ControlResponseLine,
  isLine,
  parseClaudeLine,
  type UserContent,
} from "./claude-protocol.js";
import { claudeArgs, type LaunchSettings, type PermissionMode } from "./launch-settings.js";

export type ControlAnswer = { ok: true } | { ok: false; error: string };

const PERMISSION_MODES = new Set(["default", "acceptEdits", "plan", "bypassPermissions"]);

/** The `claude` executable: REPLICAS_CLAUDE_BIN, else `claude` on PATH or in node_modules/.bin. */
export function claudeBinary(
  override: string | undefined,
  env: Record<string, string>,
): AgentBinary {
  return new AgentBinary(
    {
      command: "claude",
      envVar: "REPLICAS_CLAUDE_BIN",
      install: "install Claude Code (npm install -g @anthropic-ai/claude-code)",
      override,
      // `claude --version` prints e.g. "2.1.330 (Claude Code)".
      versionOf: (stdout) => /\d+\.\d+\.\d+\S*/.exec(stdout)?.[0] ?? null,
    },
    env,
  );
}

export interface ClaudeProcessStart {
  binary: string;
  cwd: string;
  env: Record<string, string>;
  groups: ProcessGroups;
  settings: LaunchSettings;
  controlTimeoutMs: number;
}

/** Where a process's output goes: the session that runs turns on it binds them. */
export interface ClaudeProcessHandlers {
  /** A content or result line (control lines are answered here). */
  onLine: (line: ClaudeLine) => void;
  onMalformed: (reason: string, length: number) => void;
  /** The CLI asks before a tool call (`can_use_tool`); answered later with `answerPermission`. */
  onPermissionRequest: (requestId: string, request: CanUseTool) => void;
}

/**
 * Starts a `claude` with the provider's environment (plus `extraEnv`), process groups and
 * control timeout: the one way the adapter starts the CLI, for a chat or as the spare.
 */
export type LaunchClaude = (
  binary: string,
  cwd: string,
  settings: LaunchSettings,
  extraEnv?: Record<string, string>,
) => ClaudeProcess;

/**
 * One long-lived `claude` process of a chat (stream-json on stdio) with what it was started
 * with, and its control channel: the engine's requests (interrupt, set_model...) and the CLI's
 * permission prompts, handed to the session and answered with `answerPermission`. Its output
 * goes to the handlers bound with `bind`; what it prints before (a spare, started before its
 * chat exists: claude-spare.ts) is held and delivered to them in order.
 */
export class ClaudeProcess {
  readonly #agent: AgentProcess;
  readonly cwd: string;
  model: string | undefined;
  permissionMode: PermissionMode;
  /** The session it was started to resume (null: a new session). */
  readonly resumedFrom: string | null;
  /** stdin was closed or a signal sent to stop it: no new turn may be written to it. */
  stopping = false;
  readonly exited: Promise<AgentExit>;
  readonly #pending = new Map<string, (answer: ControlAnswer) => void>();
  #handlers: ClaudeProcessHandlers | null = null;
  /** Output that arrived before `bind`, in order. */
  readonly #unbound: ((handlers: ClaudeProcessHandlers) => void)[] = [];

  constructor(private readonly start: ClaudeProcessStart) {
    this.cwd = start.cwd;
    this.model = start.settings.model;
    this.permissionMode = start.settings.permissionMode;
    this.resumedFrom = start.settings.resumeSessionId;
    this.#agent = new AgentProcess({
      binary: start.binary,
      args: claudeArgs(start.settings),
      cwd: start.cwd,
      env: start.env,
      groups: start.groups,
      onLine: (raw) => this.#onLine(raw),
    });
    this.exited = this.#agent.exited.then((exit) => {
      for (const resolve of this.#pending.values()) resolve({ ok: false, error: "process exited" });
      this.#pending.clear();
      return exit;
    });
  }

  get pid(): number | undefined {
    return this.#agent.pid;
  }

  /** Running and not being stopped: a turn can be written to it. */
  get usable(): boolean {
    return this.#agent.alive && !this.stopping;
  }

  /** Sends the output to these handlers from now on, first what arrived before. */
  bind(handlers: ClaudeProcessHandlers): void {
    this.#handlers = handlers;
    for (const deliver of this.#unbound.splice(0)) deliver(handlers);
  }

  #deliver(deliver: (handlers: ClaudeProcessHandlers) => void): void {
    if (this.#handlers) deliver(this.#handlers);
    else this.#unbound.push(deliver);
  }

  sendUserMessage(content: UserContent[]): boolean {
    return this.#agent.write({
      type: "user",
      session_id: "",
      message: { role: "user", content },
      parent_tool_use_id: null,
    });
  }

  /** The protocol's interrupt: the CLI aborts the turn and answers with its `result`. */
  interrupt(): void {
    this.#agent.write({
      type: "control_request",
      request_id: randomUUID(),
      request: { subtype: "interrupt" },
    });
  }

  signal(signal: NodeJS.Signals): void {
    this.stopping = true;
    this.#agent.signal(signal);
  }

  /** Graceful stop: close stdin (the CLI exits 0), then SIGTERM, then SIGKILL. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    await this.#agent.stop(graceMs);
    await this.exited;
  }

  /**
   * Applies a turn's mode and model by control requests where they differ from this process's;
   * false when one was refused or not answered (the caller then restarts the process).
   */
  async adopt(permissionMode: PermissionMode, model: string | undefined): Promise<boolean> {
    if (this.permissionMode !== permissionMode) {
      const answer = await this.control({ subtype: "set_permission_mode", mode: permissionMode });
      if (!answer.ok) return false;
      this.permissionMode = permissionMode;
    }
    if (model && this.model !== model) {
      const answer = await this.control({ subtype: "set_model", model });
      if (!answer.ok) return false;
      this.model = model;
    }
    return true;
  }

  control(request: Record<string, unknown>): Promise<ControlAnswer> {
    const requestId = randomUUID();
    return new Promise<ControlAnswer>((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(requestId);
        resolve({ ok: false, error: "timed out" });
      }, this.start.controlTimeoutMs);
      this.#pending.set(requestId, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      if (!this.#agent.write({ type: "control_request", request_id: requestId, request })) {
        this.#pending.get(requestId)?.({ ok: false, error: "no process" });
        this.#pending.delete(requestId);
      }
    });
  }

  #onLine(raw: string): void {
    const parsed = parseClaudeLine(raw);
    if (!parsed.ok) {
      this.#deliver((h) => h.onMalformed(parsed.reason, raw.length));
      return;
    }
    const line = parsed.line;
    if (isLine(line, "control_response")) this.#onControlResponse(line);
    else if (isLine(line, "control_request")) this.#onControlRequest(line);
    else this.#onOutputLine(line);
  }

  #onOutputLine(line: ClaudeLine): void {
    if (
      isLine(line, "system") &&
      line.subtype === "status" &&
      PERMISSION_MODES.has(line.permissionMode ?? "")
    ) {
      // ExitPlanMode approval switches the CLI out of plan mode by itself.
      this.permissionMode = line.permissionMode as PermissionMode;
    }
    this.#deliver((h) => h.onLine(line));
  }

  #onControlResponse(line: ControlResponseLine): void {
    const id = line.response?.request_id;
    const resolve = id ? this.#pending.get(id) : undefined;
    if (!id || !resolve) return;
    this.#pending.delete(id);
    resolve(
      line.response?.subtype === "success"
        ? { ok: true }
        : { ok: false, error: line.response?.error ?? "control request failed" },
    );
  }

  #onControlRequest(line: ControlRequestLine): void {
    const requestId = line.request_id;
    if (!requestId) return;
    const request = line.request;
    if (request?.subtype !== "can_use_tool" || typeof request.tool_name !== "string") {
      this.#agent.write({
        type: "control_response",
        response: {
          subtype: "error",
          request_id: requestId,
          error: `Unsupported control request: ${request?.subtype ?? "none"}`,
        },
      });
      return;
    }
    const ask = {
      tool_name: request.tool_name,
      input: request.input,
      tool_use_id: request.tool_use_id,
    };
    this.#deliver((h) => h.onPermissionRequest(requestId, ask));
  }

  /** The answer to a `can_use_tool` (a late one, after the CLI withdrew it, is ignored there). */
  answerPermission(requestId: string, response: Record<string, unknown>): void {
    this.#agent.write({
      type: "control_response",
      response: { subtype: "success", request_id: requestId, response },
    });
  }
}
