import { setTimeout as sleep } from "node:timers/promises";
import * as v from "valibot";
import { agentEnvironment } from "../../engine-env.js";
import type { TurnError } from "../../events/chat-events.js";
import { type ComponentLogger, silentLogger } from "../../logger.js";
import type {
  AgentProvider,
  ProviderOutput,
  ProviderProbe,
  TurnHandle,
  TurnRequest,
} from "../provider.js";
import { AppServer, type AppServerExit, type AppServerStart } from "./app-server.js";
import { resolveCodexBinary } from "./codex-binary.js";
import { probeCodex } from "./codex-probe.js";
import {
  ThreadResponse,
  ThreadScoped,
  type TokenUsageBreakdown,
  TurnResponse,
} from "./codex-protocol.js";
import type { RpcNotification, RpcResult, RpcServerRequest } from "./json-rpc-connection.js";
import { RunningTurn } from "./running-turn.js";
import { codexErrorCodes } from "./turn-error.js";
import { threadParams, turnStartParams } from "./turn-settings.js";
import { CodexTurnTracker } from "./turn-tracker.js";

export interface CodexProviderOptions {
  /** `REPLICAS_CODEX_BIN`: a path, or a name looked up on PATH (default `codex`). */
  binary?: string;
  /** The CLI's environment (HOME, CODEX_HOME, OPENAI_API_KEY, ...); default process.env. */
  env?: NodeJS.ProcessEnv;
  logger?: ComponentLogger;
  /** How long a JSON-RPC call (thread/start, turn/start, ...) may take. */
  requestTimeoutMs?: number;
  /** How long a new turn waits for an abandoned turn of its thread to finish in Codex. */
  abandonedTurnGraceMs?: number;
}

/** What the adapter remembers of a chat's Codex thread between turns. */
interface ChatThread {
  threadId: string;
  /** The app-server generation that has the thread loaded (a new process must resume it). */
  generation: number;
  /** The thread's model at start, sent with every turn so one message's override does not stick. */
  model: string | null;
  /** Cumulative token totals after the last turn: the next turn's usage baseline. */
  totals: TokenUsageBreakdown | null;
}

type ThreadOpened = { ok: true; threadId: string } | { ok: false; error: TurnError };

/** Approval requests we answer `decline`: nobody is there to approve inside the VM. */
const approvalRequests = new Set([
  "item/commandExecution/requestApproval",
  "item/fileChange/requestApproval",
]);

/**
 * Codex through one shared `codex app-server` process (see docs/codex.md): each chat is a
 * thread in it; the process starts on the first turn and again after a crash, and threads
 * loaded in an earlier process are resumed with `thread/resume`.
 */
export class CodexProvider implements AgentProvider {
  readonly name = "codex" as const;
  readonly #env: NodeJS.ProcessEnv;
  readonly #logger: ComponentLogger;
  readonly #requestTimeoutMs: number;
  readonly #abandonedTurnGraceMs: number;
  #server: AppServer | null = null;
  #starting: Promise<AppServerStart> | null = null;
  #generation = 0;
  #shuttingDown = false;
  readonly #chats = new Map<string, ChatThread>();
  /** Each chat's latest turn until Codex closed it (open or abandoned). */
  readonly #turns = new Map<string, RunningTurn>();
  /** Notification routing: thread id → the turn running on it. */
  readonly #routes = new Map<string, RunningTurn>();

  constructor(private readonly options: CodexProviderOptions = {}) {
    this.#env = agentEnvironment(options.env ?? process.env);
    this.#logger = options.logger ?? silentLogger;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.#abandonedTurnGraceMs = options.abandonedTurnGraceMs ?? 3_000;
  }

  /** The running app-server's pid, for operators and fault tests. */
  get appServerPid(): number | undefined {
    return this.#server?.pid;
  }

  startTurn(request: TurnRequest, emit: (output: ProviderOutput) => void): TurnHandle {
    const previous = this.#turns.get(request.chatId);
    const baseline = this.#chats.get(request.chatId)?.totals ?? null;
    const turn = new RunningTurn(request, emit, new CodexTurnTracker(baseline), (closed) =>
      this.#forget(closed),
    );
    if (previous?.state === "open") {
      // Reported after returning, like every other output.
      queueMicrotask(() =>
        this.#fail(turn, {
          code: codexErrorCodes.turnAlreadyRunning,
          message: `chat ${request.chatId} already has a running Codex turn`,
        }),
      );
      return { interrupt: () => {}, signal: () => {}, kill: () => {} };
    }
    this.#turns.set(request.chatId, turn);
    void this.#run(turn, previous).catch((error: unknown) => {
      this.#logger.warn({ error: String(error) }, "codex turn crashed in the adapter");
      turn.end({
        kind: "failed",
        error: { code: codexErrorCodes.protocol, message: `codex adapter error: ${String(error)}` },
      });
      turn.close();
    });
    return {
      interrupt: () => this.#interrupt(turn),
      signal: () => this.#abandon(turn, false),
      kill: () => this.#abandon(turn, true),
    };
  }

  async releaseChat(chatId: string): Promise<void> {
    const turn = this.#turns.get(chatId);
    if (turn) {
      this.#abandon(turn, false);
      // The thread is dropped below: nothing will wait on this turn any more.
      turn.close();
    }
    const chat = this.#chats.get(chatId);
    this.#chats.delete(chatId);
    const server = this.#server;
    if (chat && server?.alive && chat.generation === this.#generation) {
      await this.#call(server, "thread/unsubscribe", { threadId: chat.threadId });
    }
  }

  async shutdown(): Promise<void> {
    this.#shuttingDown = true;
    for (const turn of this.#turns.values()) {
      turn.end({ kind: "interrupted" });
      turn.close();
    }
    const starting = this.#starting;
    if (starting) await starting;
    const server = this.#server;
    this.#server = null;
    if (server) await server.stop();
  }

  async probe(): Promise<ProviderProbe> {
    const binary = await resolveCodexBinary(this.options.binary, this.#env);
    return probeCodex(binary, this.#env);
  }

  async #run(turn: RunningTurn, previous: RunningTurn | undefined): Promise<void> {
    const { request } = turn;
    if (previous && previous.state !== "closed") {
      const free = await this.#settleAbandoned(previous);
      if (!free.ok) return this.#fail(turn, free.error);
    }
    const started = await this.#ensureServer();
    if (!started.ok) return this.#fail(turn, started.error);
    const { server } = started;
    turn.generation = this.#generation;
    if (this.#stopBeforeStart(turn)) return;

    const opened = await this.#openThread(turn, server);
    if (!opened.ok) return this.#fail(turn, opened.error);
    if (this.#stopBeforeStart(turn)) return;
    const { threadId } = opened;
    if (threadId !== request.resumeSessionId) turn.report({ kind: "session", sessionId: threadId });

    const chat = this.#chats.get(request.chatId);
    const settings =
      chat?.model && !request.settings.model
        ? { ...request.settings, model: chat.model }
        : request.settings;
    turn.startSent = true;
    const reply = await this.#call(
      server,
      "turn/start",
      turnStartParams(threadId, request.text, settings, request.cwd),
    );
    const response = reply.ok ? v.safeParse(TurnResponse, reply.result) : null;
    if (!response?.success) return this.#fail(turn, this.#rpcError(server, "turn/start", reply));
    turn.deliver(turn.tracker.setTurnId(response.output.turn.id));
    // Interrupted, signalled or killed while turn/start was in flight: stop it in Codex too.
    if (turn.interruptRequested && turn.state !== "closed") this.#sendInterrupt(turn);
  }

  /** Before turn/start nothing runs in Codex: an interrupt or abandon ends the turn here. */
  #stopBeforeStart(turn: RunningTurn): boolean {
    if (turn.state === "open" && !turn.interruptRequested) return false;
    turn.end({ kind: "interrupted" });
    turn.close();
    return true;
  }

  /** Loads the chat's thread in this process: reuses it, resumes it, or starts a new one. */
  async #openThread(turn: RunningTurn, server: AppServer): Promise<ThreadOpened> {
    const { request } = turn;
    const chat = this.#chats.get(request.chatId);
    const wanted = request.resumeSessionId ?? chat?.threadId ?? null;
    const params = threadParams(request.settings, request.cwd);

    if (wanted && chat?.threadId === wanted && chat.generation === this.#generation) {
      this.#route(turn, wanted);
      return { ok: true, threadId: wanted };
    }
    if (wanted) {
      // Routed before the call: Codex repeats the thread's token totals right after resuming.
      this.#route(turn, wanted);
      const reply = await this.#call(server, "thread/resume", {
        threadId: wanted,
        ...params,
        excludeTurns: true,
      });
      const resumed = reply.ok ? v.safeParse(ThreadResponse, reply.result) : null;
      if (resumed?.success) {
        this.#remember(request.chatId, wanted, reply, chat?.threadId === wanted ? chat : null);
        return { ok: true, threadId: wanted };
      }
      if (!server.alive || turn.state !== "open")
        return this.#rpcFailure(server, "thread/resume", reply);
      this.#routes.delete(wanted);
      const reason = reply.ok ? "unexpected reply" : reply.error.message;
      this.#logger.warn(
        {
          threadId: wanted,
          reason,
        },
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

    const reply = await this.#call(server, "thread/start", params);
    const started = reply.ok ? v.safeParse(ThreadResponse, reply.result) : null;
    if (!started?.success) return this.#rpcFailure(server, "thread/start", reply);
    const threadId = started.output.thread.id;
    this.#remember(request.chatId, threadId, reply, null);
    this.#route(turn, threadId);
    return { ok: true, threadId };
  }

  #remember(chatId: string, threadId: string, reply: RpcResult, known: ChatThread | null): void {
    const model = reply.ok ? (reply.result as { model?: unknown }).model : null;
    this.#chats.set(chatId, {
      threadId,
      generation: this.#generation,
      model: known?.model ?? (typeof model === "string" ? model : null),
      totals: known?.totals ?? null,
    });
  }

  #route(turn: RunningTurn, threadId: string): void {
    turn.threadId = threadId;
    this.#routes.set(threadId, turn);
  }

  /** Removes a closed turn everywhere and keeps its totals for the next turn's baseline. */
  #forget(turn: RunningTurn): void {
    const { chatId } = turn.request;
    if (this.#turns.get(chatId) === turn) this.#turns.delete(chatId);
    if (turn.threadId && this.#routes.get(turn.threadId) === turn) {
      this.#routes.delete(turn.threadId);
    }
    const chat = this.#chats.get(chatId);
    if (chat && chat.threadId === turn.threadId && turn.tracker.latestTotals) {
      chat.totals = turn.tracker.latestTotals;
    }
  }

  /**
   * A previous turn of the chat was ended towards the engine but Codex may still run it. Ask
   * again, wait a little; if Codex still holds it and nobody else uses the process, restart the
   * process (the thread is resumed); otherwise the thread is busy.
   */
  async #settleAbandoned(
    previous: RunningTurn,
  ): Promise<{ ok: true } | { ok: false; error: TurnError }> {
    this.#sendInterrupt(previous);
    if (await previous.waitClosed(this.#abandonedTurnGraceMs)) return { ok: true };
    if (this.#killIfAlone(previous)) return { ok: true };
    return {
      ok: false,
      error: {
        code: codexErrorCodes.threadBusy,
        message: "the previous Codex turn of this chat has not stopped yet",
      },
    };
  }

  #interrupt(turn: RunningTurn): void {
    if (turn.state !== "open") return;
    turn.interruptRequested = true;
    this.#sendInterrupt(turn);
  }

  #sendInterrupt(turn: RunningTurn): void {
    const server = this.#server;
    const { codexTurnId, threadId } = turn;
    if (!server?.alive || turn.generation !== this.#generation || !codexTurnId || !threadId) {
      return;
    }
    void this.#call(server, "turn/interrupt", { threadId, turnId: codexTurnId }).then(
      async (reply) => {
        if (!reply.ok) this.#logger.debug({ error: reply.error }, "codex turn/interrupt refused");
        // Codex leaves the interrupted command running as a background terminal: stop it too.
        const cleaned = await this.#call(server, "thread/backgroundTerminals/clean", { threadId });
        if (!cleaned.ok) {
          this.#logger.debug({ error: cleaned.error }, "codex backgroundTerminals/clean refused");
        }
      },
    );
  }

  /**
   * signal()/kill(): the turn ends now, whatever Codex does. Codex is asked to interrupt; the
   * turn stays routed (abandoned) until Codex closes it. kill() also kills the app-server when
   * no other chat has a turn open in it; the next turn starts a new one and resumes the thread.
   */
  #abandon(turn: RunningTurn, killProcess: boolean): void {
    if (turn.state === "closed") return;
    turn.interruptRequested = true;
    this.#sendInterrupt(turn);
    turn.end({ kind: "interrupted" });
    // turn/start not sent yet: nothing runs in Codex, nothing to wait for.
    if (!turn.startSent) turn.close();
    if (killProcess) this.#killIfAlone(turn);
  }

  /** Kills the app-server if `turn` is the only one using it. */
  #killIfAlone(turn: RunningTurn): boolean {
    const server = this.#server;
    if (!server || turn.generation !== this.#generation) {
      turn.close();
      return true;
    }
    const others = [...this.#turns.values()].some(
      (other) => other !== turn && other.state === "open" && other.generation === this.#generation,
    );
    if (others) return false;
    this.#logger.warn(
      {
        chatId: turn.request.chatId,
      },
      "killing the codex app-server: a turn did not stop",
    );
    server.kill();
    this.#dropServer();
    return true;
  }

  /** Forgets the current process: its abandoned turns close, threads must be resumed. */
  #dropServer(): void {
    this.#server = null;
    this.#generation += 1;
    for (const turn of [...this.#turns.values()]) {
      if (turn.state !== "open") turn.close();
    }
    this.#routes.clear();
  }

  #ensureServer(): Promise<AppServerStart> {
    if (this.#server?.alive) return Promise.resolve({ ok: true, server: this.#server });
    if (this.#starting) return this.#starting;
    this.#starting = this.#startServer().finally(() => {
      this.#starting = null;
    });
    return this.#starting;
  }

  async #startServer(): Promise<AppServerStart> {
    if (this.#shuttingDown) {
      return {
        ok: false,
        error: { code: codexErrorCodes.spawnFailed, message: "engine is shutting down" },
      };
    }
    const binary = await resolveCodexBinary(this.options.binary, this.#env);
    if (!binary) {
      return {
        ok: false,
        error: {
          code: codexErrorCodes.notFound,
          message: this.options.binary
            ? `codex binary not found or not executable: ${this.options.binary}`
            : "codex binary not found on PATH (set REPLICAS_CODEX_BIN)",
          details: { binary: this.options.binary ?? "codex" },
        },
      };
    }
    const generation = this.#generation + 1;
    const started = await AppServer.start(
      binary,
      this.#env,
      {
        onNotification: (notification) => this.#onNotification(notification),
        onServerRequest: (request) => this.#onServerRequest(request),
        onExit: (exit) => this.#onExit(generation, exit),
      },
      this.#logger,
    );
    if (!started.ok) return started;
    this.#generation = generation;
    this.#server = started.server;
    this.#logger.debug({ pid: started.server.pid, generation }, "codex app-server started");
    return started;
  }

  #onNotification(notification: RpcNotification): void {
    const scoped = v.safeParse(ThreadScoped, notification.params);
    if (!scoped.success) return;
    this.#routes.get(scoped.output.threadId)?.receive(notification);
  }

  #onServerRequest(request: RpcServerRequest): void {
    const server = this.#server;
    if (!server) return;
    if (approvalRequests.has(request.method)) {
      server.connection.respond(request.id, { decision: "decline" });
      const scoped = v.safeParse(ThreadScoped, request.params);
      const turn = scoped.success ? this.#routes.get(scoped.output.threadId) : undefined;
      turn?.report({
        kind: "item",
        itemId: `${turn.request.turnId}:approval:${String(request.id)}`,
        item: {
          type: "notice",
          level: "warning",
          message: `Codex asked for approval (${request.method}); declined: approvals are not supported, use approvalPolicy "never".`,
        },
      });
      return;
    }
    server.connection.respondError(request.id, {
      code: -32601,
      message: `replicas engine does not handle ${request.method}`,
    });
  }

  /** The app-server died by itself: every open turn in it fails; the next turn restarts it. */
  #onExit(generation: number, exit: AppServerExit): void {
    if (generation !== this.#generation) return;
    this.#logger.warn(
      {
        exitCode: exit.code,
        signal: exit.signal,
      },
      "codex app-server exited unexpectedly",
    );
    const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
    for (const turn of [...this.#turns.values()]) {
      if (turn.generation !== generation) continue;
      turn.end({
        kind: "failed",
        error: {
          code: codexErrorCodes.appServerExited,
          message: `codex app-server exited unexpectedly (${how})`,
          details: { exitCode: exit.code, signal: exit.signal, stderrTail: exit.stderrTail },
        },
      });
    }
    this.#dropServer();
  }

  async #call(server: AppServer, method: string, params: unknown): Promise<RpcResult> {
    const timeout = new AbortController();
    const reply = await Promise.race([
      server.connection.request(method, params),
      sleep(this.#requestTimeoutMs, undefined, { signal: timeout.signal }).then(
        (): RpcResult => ({
          ok: false,
          error: { code: -1, message: `no reply within ${this.#requestTimeoutMs} ms` },
        }),
        (): RpcResult => ({ ok: false, error: { code: -1, message: "aborted" } }),
      ),
    ]);
    timeout.abort();
    return reply;
  }

  #rpcError(server: AppServer, method: string, reply: RpcResult | null): TurnError {
    if (!server.alive) {
      return {
        code: codexErrorCodes.appServerExited,
        message: `codex app-server exited during ${method}`,
      };
    }
    const message = reply && !reply.ok ? reply.error.message : "unexpected reply";
    return {
      code: codexErrorCodes.protocol,
      message: `codex ${method} failed: ${message}`,
      details: reply && !reply.ok ? { rpcCode: reply.error.code } : {},
    };
  }

  #rpcFailure(server: AppServer, method: string, reply: RpcResult): ThreadOpened {
    return { ok: false, error: this.#rpcError(server, method, reply) };
  }

  #fail(turn: RunningTurn, error: TurnError): void {
    turn.end({ kind: "failed", error });
    turn.close();
  }
}
