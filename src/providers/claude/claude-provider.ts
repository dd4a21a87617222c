import { agentEnvironment } from "../../engine-env.js";
import { type ComponentLogger, silentLogger } from "../../logger.js";
import type {
  AgentProvider,
  ProviderOutput,
  ProviderProbe,
  TurnHandle,
  TurnRequest,
} from "../provider.js";
import { probeClaudeBinary, resolveClaudeBinary } from "./claude-binary.js";
import { ClaudeChat } from "./claude-chat.js";

export interface ClaudeProviderOptions {
  /** REPLICAS_CLAUDE_BIN: a path, or a name looked up on PATH. Default: `claude` on PATH. */
  binary?: string;
  /** The CLI's environment (ANTHROPIC_*, CLAUDE_CODE_*, AWS_*...). Default: process.env. */
  env?: Record<string, string | undefined>;
  /** A chat's process is stopped after this long without a turn. Default 10 minutes. */
  idleMs?: number;
  /** How long a set_permission_mode / set_model control request may take. Default 10 s. */
  controlTimeoutMs?: number;
  /** Between closing stdin, SIGTERM and SIGKILL when a process is stopped. Default 3 s. */
  stopGraceMs?: number;
  logger?: ComponentLogger;
}

/** Bounds the CLI's own API retries (10 by default: ~3 minutes on a 500) unless set already. */
export const DEFAULT_MAX_RETRIES = "2";

function childEnv(source: Record<string, string | undefined>): Record<string, string> {
  const env = agentEnvironment(source);
  env.CLAUDE_CODE_MAX_RETRIES ??= DEFAULT_MAX_RETRIES;
  return env;
}

/** The Claude Code adapter: one long-lived `claude` process per active chat. */
export class ClaudeProvider implements AgentProvider {
  readonly name = "claude" as const;
  private readonly chats = new Map<string, ClaudeChat>();
  private readonly env: Record<string, string>;
  private resolvedBinary: string | null = null;

  constructor(private readonly options: ClaudeProviderOptions = {}) {
    this.env = childEnv(options.env ?? process.env);
  }

  startTurn(request: TurnRequest, emit: (output: ProviderOutput) => void): TurnHandle {
    return this.chat(request.chatId).startTurn(request, emit);
  }

  async releaseChat(chatId: string): Promise<void> {
    const chat = this.chats.get(chatId);
    this.chats.delete(chatId);
    await chat?.stop();
  }

  async shutdown(): Promise<void> {
    const chats = [...this.chats.values()];
    this.chats.clear();
    await Promise.all(chats.map((chat) => chat.stop()));
  }

  async probe(): Promise<ProviderProbe> {
    return probeClaudeBinary(await this.resolveBinary(), this.env);
  }

  /** Whether the chat has a live `claude` process now (for status and tests). */
  processId(chatId: string): number | undefined {
    return this.chats.get(chatId)?.processId;
  }

  private chat(chatId: string): ClaudeChat {
    let chat = this.chats.get(chatId);
    if (!chat) {
      chat = new ClaudeChat({
        chatId,
        resolveBinary: () => this.resolveBinary(),
        env: this.env,
        idleMs: this.options.idleMs ?? 600_000,
        controlTimeoutMs: this.options.controlTimeoutMs ?? 10_000,
        stopGraceMs: this.options.stopGraceMs ?? 3_000,
        logger: this.options.logger ?? silentLogger,
      });
      this.chats.set(chatId, chat);
    }
    return chat;
  }

  /** Cached once found; looked up again while missing, so installing it later is picked up. */
  private async resolveBinary(): Promise<string | null> {
    this.resolvedBinary ??= await resolveClaudeBinary(this.options.binary, this.env);
    return this.resolvedBinary;
  }
}
