import { agentEnvironment } from "../../engine-env.js";
import { type ComponentLogger, silentLogger } from "../../logger.js";
import type {
  AgentProvider,
  ProviderOutput,
  ProviderProbe,
  TerminalOutput,
  TurnHandle,
  TurnRequest,
} from "../provider.js";
import type { AgentBinary } from "../toolkit/agent-binary.js";
import { inMemoryGroups, type ProcessGroups } from "../toolkit/process-groups.js";
import { ClaudeProcess, claudeBinary, type LaunchClaude } from "./claude-process.js";
import { ClaudeSession } from "./claude-session.js";
import { ClaudeSpare, type SpareSettings } from "./claude-spare.js";
import { type PermissionMode, permissionModeOf } from "./launch-settings.js";

export interface ClaudeProviderOptions {
  /** REPLICAS_CLAUDE_BIN: a path, or a name looked up on PATH. Default: `claude`. */
  binary?: string;
  /** The CLI's environment (ANTHROPIC_*, CLAUDE_CODE_*, AWS_*...). Default: process.env. */
  env?: Record<string, string | undefined>;
  /** A chat's process is stopped after this long without a turn. Default 10 minutes. */
  idleMs?: number;
  /** How long a set_permission_mode / set_model control request may take. Default 10 s. */
  controlTimeoutMs?: number;
  /** Between closing stdin, SIGTERM and SIGKILL when a process is stopped. Default 3 s. */
  stopGraceMs?: number;
  /**
   * The mode an approved plan is carried out in (default bypassPermissions: the VM is the
   * sandbox); a chat in plan mode plans again on its next turn.
   */
  afterPlanMode?: PermissionMode;
  /** Where the agents' process groups are recorded (default: in memory). */
  groups?: ProcessGroups;
  /**
   * REPLICAS_CLAUDE_SPARE: keep one `claude` started ahead for the next new chat (default on;
   * docs/claude.md, "Spare process").
   */
  spare?: boolean;
  logger?: ComponentLogger;
}

/** Bounds the CLI's own API retries (10 by default: ~3 minutes on a 500) unless set already. */
export const DEFAULT_MAX_RETRIES = "2";

function childEnv(source: Record<string, string | undefined>): Record<string, string> {
  const env = agentEnvironment(source);
  env.CLAUDE_CODE_MAX_RETRIES ??= DEFAULT_MAX_RETRIES;
  // As root the CLI refuses bypassPermissions (the default mode) unless told it is sandboxed:
  // the VM is the sandbox. It accepts "1" only ("yes" and "true" are refused: 2.1.330), and a
  // machine may carry IS_SANDBOX=yes already, so the engine sets it whatever it was.
  env.IS_SANDBOX = "1";
  return env;
}

/**
 * The Claude Code adapter: one long-lived `claude` process per active chat, and one spare
 * started ahead for the next new chat.
 */
export class ClaudeProvider implements AgentProvider {
  readonly name = "claude" as const;
  private readonly sessions = new Map<string, ClaudeSession>();
  private readonly env: Record<string, string>;
  private readonly binary: AgentBinary;
  private readonly groups: ProcessGroups;
  private readonly spare: ClaudeSpare | null;
  /** Where the next spare is wanted: the last new chat whose first turn completed. */
  private spareFor: (SpareSettings & { cwd: string }) | null = null;

  constructor(private readonly options: ClaudeProviderOptions = {}) {
    this.env = childEnv(options.env ?? process.env);
    this.binary = claudeBinary(options.binary, this.env);
    this.groups = options.groups ?? inMemoryGroups();
    this.spare =
      options.spare === false
        ? null
        : new ClaudeSpare({
            binary: this.binary,
            launch: this.launch,
            idleMs: this.idleMs,
            stopGraceMs: this.stopGraceMs,
            logger: this.logger,
          });
  }

  private get idleMs(): number {
    return this.options.idleMs ?? 600_000;
  }

  private get stopGraceMs(): number {
    return this.options.stopGraceMs ?? 3_000;
  }

  private get logger(): ComponentLogger {
    return this.options.logger ?? silentLogger;
  }

  startTurn(request: TurnRequest, emit: (output: ProviderOutput) => void): TurnHandle {
    return this.session(request.chatId).startTurn(request, emit);
  }

  async releaseChat(chatId: string): Promise<void> {
    const session = this.sessions.get(chatId);
    this.sessions.delete(chatId);
    await session?.stop();
  }

  async shutdown(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all([this.spare?.stop(), ...sessions.map((session) => session.stop())]);
  }

  probe(): Promise<ProviderProbe> {
    return this.binary.probe();
  }

  /** Whether the chat has a live `claude` process now (for status and tests). */
  processId(chatId: string): number | undefined {
    return this.sessions.get(chatId)?.processId;
  }

  /** The spare process waiting for a new chat, if there is one now (for status and tests). */
  spareProcessId(): number | undefined {
    return this.spare?.processId;
  }

  private readonly launch: LaunchClaude = (binary, cwd, settings, extraEnv = {}) =>
    new ClaudeProcess({
      binary,
      cwd,
      env: { ...this.env, ...extraEnv },
      groups: this.groups,
      controlTimeoutMs: this.options.controlTimeoutMs ?? 10_000,
      settings,
    });

  private session(chatId: string): ClaudeSession {
    let session = this.sessions.get(chatId);
    if (!session) {
      session = new ClaudeSession({
        chatId,
        binary: this.binary,
        launch: this.launch,
        takeSpare: (cwd, model) => this.spare?.take(cwd, model) ?? null,
        onTurnEnded: (request, output) => this.turnEnded(request, output),
        idleMs: this.idleMs,
        stopGraceMs: this.stopGraceMs,
        afterPlanMode: this.options.afterPlanMode ?? "bypassPermissions",
        logger: this.logger,
      });
      this.sessions.set(chatId, session);
    }
    return session;
  }

  /**
   * A new chat's first turn that completed wants a spare in its cwd, with its settings (the
   * next new chat most likely has the same). It is started once the turn's end has been
   * handled and no Claude turn runs: the CLI's start would slow a running turn down.
   */
  private turnEnded(request: TurnRequest, output: TerminalOutput): void {
    if (!this.spare) return;
    if (request.resumeSessionId === null && output.kind === "completed") {
      const { model } = request.settings;
      this.spareFor = {
        cwd: request.cwd,
        model,
        permissionMode: permissionModeOf(request.settings),
      };
    }
    if (this.spareFor) setImmediate(() => this.startSpare());
  }

  private startSpare(): void {
    const wanted = this.spareFor;
    if (!wanted || !this.spare || [...this.sessions.values()].some((s) => s.busy)) return;
    this.spareFor = null;
    const { cwd, ...settings } = wanted;
    this.spare.start(cwd, settings).catch((error: unknown) => {
      this.logger.warn({ error: String(error) }, "claude: the spare process could not start");
    });
  }
}
