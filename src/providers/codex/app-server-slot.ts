import type { ComponentLogger } from "../../logger.js";
import type { ProviderProbe } from "../provider.js";
import type { AgentBinary } from "../toolkit/agent-binary.js";
import { providerErrorCodes, turnError } from "../toolkit/error-codes.js";
import type { ProcessGroups } from "../toolkit/process-groups.js";
import {
  CodexProcess,
  type CodexProcessHandlers,
  type CodexProcessStart,
} from "./codex-process.js";

/**
 * The one shared `codex app-server`: started on demand (once, however many turns ask at the
 * same time), numbered by generation so that what an earlier process held is told apart, and
 * never started again once the engine shuts down.
 */
export class AppServerSlot {
  #server: CodexProcess | null = null;
  #starting: Promise<CodexProcessStart> | null = null;
  #generation = 0;
  #shuttingDown = false;

  constructor(
    private readonly binary: AgentBinary,
    private readonly env: Record<string, string>,
    private readonly groups: ProcessGroups,
    /** The handlers of one generation's process. */
    private readonly handlers: (generation: number) => CodexProcessHandlers,
    private readonly logger: ComponentLogger,
  ) {}

  /** `codex --version`, once. */
  probe(): Promise<ProviderProbe> {
    return this.binary.probe();
  }

  get server(): CodexProcess | null {
    return this.#server;
  }

  get generation(): number {
    return this.#generation;
  }

  ensure(): Promise<CodexProcessStart> {
    if (this.#server?.alive) return Promise.resolve({ ok: true, server: this.#server });
    if (this.#starting) return this.#starting;
    this.#starting = this.#start().finally(() => {
      this.#starting = null;
    });
    return this.#starting;
  }

  /** Forgets the current process (it died or was killed): the next turn starts a new one. */
  drop(): void {
    this.#server = null;
    this.#generation += 1;
  }

  /** No process starts after this; the running one is stopped (stdin closed, then killed). */
  async shutdown(): Promise<void> {
    this.#shuttingDown = true;
    const starting = this.#starting;
    if (starting) await starting;
    const server = this.#server;
    this.#server = null;
    if (server) await server.stop();
  }

  async #start(): Promise<CodexProcessStart> {
    if (this.#shuttingDown) {
      const error = turnError(providerErrorCodes.spawnFailed, "engine is shutting down");
      return { ok: false, error };
    }
    const binary = await this.binary.resolve();
    if (!binary) return { ok: false, error: this.binary.missing() };
    const generation = this.#generation + 1;
    const started = await CodexProcess.start(
      binary,
      this.env,
      this.groups,
      this.handlers(generation),
      this.logger,
    );
    if (!started.ok) return started;
    this.#generation = generation;
    this.#server = started.server;
    this.logger.debug({ pid: started.server.pid, generation }, "codex app-server started");
    return started;
  }
}
