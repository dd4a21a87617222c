import * as v from "valibot";
import { agentEnvironment } from "../../engine-env.js";
import type { TurnError } from "../../events/chat-events.js";
import { type ComponentLogger, silentLogger } from "../../logger.js";
import {
  type AgentProvider,
  endedTurnHandle,
  type ProviderOutput,
  type ProviderProbe,
  type TurnHandle,
  type TurnRequest,
} from "../provider.js";
import { type AgentExit, exitFailure } from "../toolkit/agent-process.js";
import { providerErrorCodes, turnError } from "../toolkit/error-codes.js";
import { inMemoryGroups, type ProcessGroups } from "../toolkit/process-groups.js";
import { AppServerSlot } from "./app-server-slot.js";
import { answerApproval, answerServerRequest } from "./approvals.js";
import { type CodexProcess, codexBinary } from "./codex-process.js";
import { ThreadScoped, TurnResponse } from "./codex-protocol.js";
import { CodexSessions } from "./codex-session.js";
import type { RpcNotification, RpcResult, RpcServerRequest } from "./json-rpc-connection.js";
import { turnStartParams } from "./launch-settings.js";
import { CodexLineMapper } from "./line-mapper.js";
import { callWithin, interruptInCodex, rpcError } from "./rpc-call.js";
import { RunningTurn } from "./running-turn.js";

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
  /** Where the agents' process groups are recorded (default: in memory). */
  groups?: ProcessGroups;
}

/**
 * Codex through one shared `codex app-server` process (see docs/codex.md): each chat is a
 * thread in it; the process starts on the first turn and again after a crash, and threads
 * loaded in an earlier process are resumed with `thread/resume`.
 */
export class CodexProvider implements AgentProvider {
  readonly name = "codex" as const;
  readonly #env: Record<string, string>;
  readonly #logger: ComponentLogger;
  readonly #requestTimeoutMs: number;
  readonly #abandonedTurnGraceMs: number;
  readonly #sessions: CodexSessions;
  readonly #slot: AppServerSlot;
  /** Each chat's latest turn until Codex closed it (open or abandoned). */
  readonly #turns = new Map<string, RunningTurn>();

  constructor(options: CodexProviderOptions = {}) {
    this.#env = agentEnvironment(options.env ?? process.env);
    this.#logger = options.logger ?? silentLogger;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.#abandonedTurnGraceMs = options.abandonedTurnGraceMs ?? 3_000;
    this.#sessions = new CodexSessions(this.#logger);
    this.#slot = new AppServerSlot(
      codexBinary(options.binary, this.#env),
      this.#env,
      options.groups ?? inMemoryGroups(),
      (generation) => ({
        onNotification: (notification) => this.#onNotification(notification),
        onServerRequest: (request) => this.#onServerRequest(request),
        onExit: (exit) => this.#onExit(generation, exit),
      }),
      this.#logger,
    );
  }

  /** The running app-server's pid, for operators and fault tests. */
  get appServerPid(): number | undefined {
    return this.#slot.server?.pid;
  }

  startTurn(request: TurnRequest, emit: (output: ProviderOutput) => void): TurnHandle {
    const previous = this.#turns.get(request.chatId);
    const loaded = this.#sessions.loaded(request.chatId);
    const baseline = loaded?.threadId === request.resumeSessionId ? loaded.totals : null;
    const turn = new RunningTurn(request, emit, new CodexLineMapper(baseline), (closed) =>
      this.#forget(closed),
    );
    if (previous?.state === "open") {
      const message = `chat ${request.chatId} already has a running Codex turn`;
      // Reported after returning, like every other output.
      queueMicrotask(() => this.#fail(turn, turnError(providerErrorCodes.turnInProgress, message)));
      return endedTurnHandle;
    }
    this.#turns.set(request.chatId, turn);
    void this.#run(turn, previous).catch((error: unknown) => {
      this.#logger.warn({ error: String(error) }, "codex turn crashed in the adapter");
      this.#fail(
        turn,
        turnError(providerErrorCodes.error, `codex adapter error: ${String(error)}`),
      );
    });
    return {
      answer: (approvalId, reply) => answerApproval(turn, approvalId, reply),
      interrupt: () => this.#interrupt(turn),
      signal: () => this.#abandon(turn, false),
      kill: () => this.#abandon(turn, true),
    };
  }

  async releaseChat(chatId: string): Promise<void> {
    const turn = this.#turns.get(chatId);
    if (turn) {
      // What the chat still runs in Codex goes with it: the app-server's group is killed
      // (grandchildren included) unless another chat has a turn open in it.
      this.#abandon(turn, true);
      // The thread is dropped below: nothing will wait on this turn any more.
      turn.close();
    }
    const loaded = this.#sessions.loaded(chatId);
    this.#sessions.forget(chatId);
    const server = this.#slot.server;
    if (loaded && server?.alive && loaded.generation === this.#slot.generation) {
      await this.#call(server, "thread/unsubscribe", { threadId: loaded.threadId });
    }
  }

  async shutdown(): Promise<void> {
    for (const turn of this.#turns.values()) {
      turn.end({ kind: "interrupted" });
      turn.close();
    }
    await this.#slot.shutdown();
  }

  probe(): Promise<ProviderProbe> {
    return this.#slot.probe();
  }

  async #run(turn: RunningTurn, previous: RunningTurn | undefined): Promise<void> {
    const { request } = turn;
    if (previous && previous.state !== "closed") {
      const free = await this.#settleAbandoned(previous);
      if (!free.ok) return this.#fail(turn, free.error);
    }
    const started = await this.#slot.ensure();
    if (!started.ok) return this.#fail(turn, started.error);
    const { server } = started;
    turn.generation = this.#slot.generation;
    if (this.#stopBeforeStart(turn)) return;

    const opened = await this.#sessions.open(turn, {
      server,
      generation: this.#slot.generation,
      call: (method, params) => this.#call(server, method, params),
    });
    if (!opened.ok) return this.#fail(turn, opened.error);
    if (this.#stopBeforeStart(turn)) return;
    const { threadId } = opened;
    if (threadId !== request.resumeSessionId) turn.report({ kind: "session", sessionId: threadId });

    const model = this.#sessions.loaded(request.chatId)?.model;
    const settings =
      model && !request.settings.model ? { ...request.settings, model } : request.settings;
    turn.startSent = true;
    const params = turnStartParams(threadId, request, settings, request.cwd);
    const reply = await this.#call(server, "turn/start", params);
    const response = reply.ok ? v.safeParse(TurnResponse, reply.result) : null;
    if (!response?.success) return this.#fail(turn, rpcError(server, "turn/start", reply));
    turn.deliver(turn.mapper.setTurnId(response.output.turn.id));
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

  /** Removes a closed turn everywhere and keeps its totals for the next turn's baseline. */
  #forget(turn: RunningTurn): void {
    const { chatId } = turn.request;
    if (this.#turns.get(chatId) === turn) this.#turns.delete(chatId);
    this.#sessions.unroute(turn);
    this.#sessions.keepTotals(chatId, turn.threadId, turn.mapper.latestTotals);
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
    const message = "the previous Codex turn of this chat has not stopped yet";
    return { ok: false, error: turnError(providerErrorCodes.sessionBusy, message) };
  }

  #interrupt(turn: RunningTurn): void {
    if (turn.state !== "open") return;
    turn.interruptRequested = true;
    this.#sendInterrupt(turn);
  }

  #sendInterrupt(turn: RunningTurn): void {
    const server = this.#slot.server;
    const { codexTurnId, threadId } = turn;
    if (!server?.alive || turn.generation !== this.#slot.generation || !codexTurnId || !threadId) {
      return;
    }
    void interruptInCodex((method, params) => this.#call(server, method, params), {
      threadId,
      turnId: codexTurnId,
      logger: this.#logger,
    });
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
    const server = this.#slot.server;
    if (!server || turn.generation !== this.#slot.generation) {
      turn.close();
      return true;
    }
    const others = [...this.#turns.values()].some(
      (other) =>
        other !== turn && other.state === "open" && other.generation === this.#slot.generation,
    );
    if (others) return false;
    this.#logger.warn(
      { chatId: turn.request.chatId },
      "killing the codex app-server: a turn did not stop",
    );
    server.kill();
    this.#dropServer();
    return true;
  }

  /** Forgets the current process: its abandoned turns close, threads must be resumed. */
  #dropServer(): void {
    this.#slot.drop();
    for (const turn of [...this.#turns.values()]) {
      if (turn.state !== "open") turn.close();
    }
    this.#sessions.dropRoutes();
  }

  #onNotification(notification: RpcNotification): void {
    const scoped = v.safeParse(ThreadScoped, notification.params);
    const turn = scoped.success ? this.#sessions.turnOn(scoped.output.threadId) : undefined;
    if (!turn) return;
    turn.receive(notification);
    // Ended early (refused credentials, no network): Codex still runs the turn; stop it there.
    if (turn.state === "abandoned" && !turn.interruptRequested) {
      turn.interruptRequested = true;
      this.#sendInterrupt(turn);
    }
  }

  #onServerRequest(request: RpcServerRequest): void {
    const server = this.#slot.server;
    if (server) answerServerRequest(server, request, (threadId) => this.#sessions.turnOn(threadId));
  }

  /** The app-server died by itself: every open turn in it fails; the next turn restarts it. */
  #onExit(generation: number, exit: AgentExit): void {
    if (generation !== this.#slot.generation) return;
    this.#logger.warn(
      { exitCode: exit.exitCode, signal: exit.signal, lineTooLong: exit.lineTooLong },
      "codex app-server exited unexpectedly",
    );
    const failure = exitFailure("codex app-server", exit);
    for (const turn of [...this.#turns.values()]) {
      if (turn.generation === generation) turn.end(failure);
    }
    this.#dropServer();
  }

  #call(server: CodexProcess, method: string, params: unknown): Promise<RpcResult> {
    return callWithin(server, this.#requestTimeoutMs, method, params);
  }

  #fail(turn: RunningTurn, error: TurnError): void {
    turn.end({ kind: "failed", error });
    turn.close();
  }
}
