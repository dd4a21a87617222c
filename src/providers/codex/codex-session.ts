import * as v from "valibot";
import type { TurnError } from "../../events/chat-events.js";
import type { ComponentLogger } from "../../logger.js";
import type { CodexProcess } from "./codex-process.js";
import { ThreadResponse, type TokenUsageBreakdown } from "./codex-protocol.js";
import type { RpcResult } from "./json-rpc-connection.js";
import { threadParams } from "./launch-settings.js";
import { rpcError } from "./rpc-call.js";
import type { RunningTurn } from "./running-turn.js";

/** What the adapter remembers of a chat's Codex thread between turns (not its id: see below). */
interface LoadedThread {
  threadId: string;
  /** The app-server generation that has the thread loaded (a new process must resume it). */
  generation: number;
  /** The thread's model at start, sent with every turn so one message's override does not stick. */
  model: string | null;
  /** Cumulative token totals after the last turn: the next turn's usage baseline. */
  totals: TokenUsageBreakdown | null;
}

export type ThreadOpened = { ok: true; threadId: string } | { ok: false; error: TurnError };

export interface OpenContext {
  server: CodexProcess;
  generation: number;
  call: (method: string, params: unknown) => Promise<RpcResult>;
}

/**
 * The chats' Codex threads as loaded in the app-server, and which turn runs on each thread (the
 * routing of notifications). Which thread a chat continues is the engine's
 * (TurnRequest.resumeSessionId): what is kept here only says whether that thread is already
 * loaded in this process, and its model and token totals.
 */
export class CodexSessions {
  readonly #loaded = new Map<string, LoadedThread>();
  /** Thread id → the turn running on it (open or abandoned). */
  readonly #routes = new Map<string, RunningTurn>();

  constructor(private readonly logger: ComponentLogger) {}

  turnOn(threadId: string): RunningTurn | undefined {
    return this.#routes.get(threadId);
  }

  /** Routes the thread's notifications to the turn (before a resume: Codex repeats its totals). */
  route(turn: RunningTurn, threadId: string): void {
    turn.threadId = threadId;
    this.#routes.set(threadId, turn);
  }

  unroute(turn: RunningTurn): void {
    if (turn.threadId && this.#routes.get(turn.threadId) === turn)
      this.#routes.delete(turn.threadId);
  }

  /** The app-server is gone: no thread is loaded, nothing is routed. */
  dropRoutes(): void {
    this.#routes.clear();
  }

  loaded(chatId: string): LoadedThread | undefined {
    return this.#loaded.get(chatId);
  }

  forget(chatId: string): void {
    this.#loaded.delete(chatId);
  }

  /** Keeps a closed turn's totals as the next turn's baseline. */
  keepTotals(chatId: string, threadId: string | null, totals: TokenUsageBreakdown | null): void {
    const thread = this.#loaded.get(chatId);
    if (thread && thread.threadId === threadId && totals) thread.totals = totals;
  }

  /** Loads the chat's thread in this process: reuses it, resumes it, or starts a new one. */
  async open(turn: RunningTurn, ctx: OpenContext): Promise<ThreadOpened> {
    const { request } = turn;
    const known = this.#loaded.get(request.chatId);
    const wanted = request.resumeSessionId;
    const params = threadParams(request.settings, request.cwd);
    const same = known?.threadId === wanted ? known : null;

    if (wanted && same && same.generation === ctx.generation) {
      this.route(turn, wanted);
      return { ok: true, threadId: wanted };
    }
    if (wanted) {
      this.route(turn, wanted);
      const reply = await ctx.call("thread/resume", {
        threadId: wanted,
        ...params,
        excludeTurns: true,
      });
      const resumed = reply.ok ? v.safeParse(ThreadResponse, reply.result) : null;
      if (resumed?.success) {
        this.#remember(request.chatId, wanted, ctx.generation, reply, same);
        return { ok: true, threadId: wanted };
      }
      if (!ctx.server.alive || turn.state !== "open") {
        return { ok: false, error: rpcError(ctx.server, "thread/resume", reply) };
      }
      this.#routes.delete(wanted);
      const reason = reply.ok ? "unexpected reply" : reply.error.message;
      this.logger.warn(
        { threadId: wanted, reason },
        "codex thread could not be resumed; starting a new one",
      );
      turn.report({
        kind: "item",
        itemId: `${request.turnId}:resume-failed`,
        item: {
          type: "notice",
          level: "warning",
          message: `Could not resume Codex thread ${wanted} (${reason}); started a new conversation.`,
        },
      });
    }

    const reply = await ctx.call("thread/start", params);
    const started = reply.ok ? v.safeParse(ThreadResponse, reply.result) : null;
    if (!started?.success) return { ok: false, error: rpcError(ctx.server, "thread/start", reply) };
    const threadId = started.output.thread.id;
    this.#remember(request.chatId, threadId, ctx.generation, reply, null);
    this.route(turn, threadId);
    return { ok: true, threadId };
  }

  #remember(
    chatId: string,
    threadId: string,
    generation: number,
    reply: RpcResult,
    known: LoadedThread | null,
  ): void {
    const model = reply.ok ? (reply.result as { model?: unknown }).model : null;
    this.#loaded.set(chatId, {
      threadId,
      generation,
      model: known?.model ?? (typeof model === "string" ? model : null),
      totals: known?.totals ?? null,
    });
  }
}
