import { setTimeout as sleep } from "node:timers/promises";
import type { TurnError } from "../../events/chat-events.js";
import type { ComponentLogger } from "../../logger.js";
import { AgentBinary } from "../toolkit/agent-binary.js";
import { type AgentExit, AgentProcess } from "../toolkit/agent-process.js";
import { providerErrorCodes, turnError } from "../toolkit/error-codes.js";
import type { ProcessGroups } from "../toolkit/process-groups.js";
import {
  JsonRpcConnection,
  type RpcNotification,
  type RpcServerRequest,
} from "./json-rpc-connection.js";

const initializeTimeoutMs = 20_000;
const stopGraceMs = 2_000;

/** Notifications nobody reads; opting out keeps them off the pipe. */
const optedOut = ["account/rateLimits/updated", "remoteControl/status/changed"];

/** The `codex` executable: REPLICAS_CODEX_BIN, else `codex` on PATH or in node_modules/.bin. */
export function codexBinary(
  override: string | undefined,
  env: Record<string, string>,
): AgentBinary {
  return new AgentBinary(
    {
      command: "codex",
      envVar: "REPLICAS_CODEX_BIN",
      install: "install Codex (npm install -g @openai/codex)",
      override,
      // `codex --version` prints e.g. `codex-cli 0.169.0`; the version is the last word.
      versionOf: (stdout) => stdout.trim().split(/\s+/).at(-1) ?? null,
    },
    env,
  );
}

export interface CodexProcessHandlers {
  onNotification(notification: RpcNotification): void;
  onServerRequest(request: RpcServerRequest): void;
  /** The process ended; not called after `stop()` or `kill()` asked for it. */
  onExit(exit: AgentExit): void;
}

export type CodexProcessStart =
  | { ok: true; server: CodexProcess }
  | { ok: false; error: TurnError };

/**
 * One `codex app-server` process: JSON-RPC on stdio, initialized and ready for threads. Its life
 * is bounded by the adapter (stopped by `shutdown()`, its group killed when the engine exits),
 * so it has no wall-clock timeout of its own; the handshake does.
 */
export class CodexProcess {
  #expectedExit = false;

  private constructor(
    private readonly agent: AgentProcess,
    readonly connection: JsonRpcConnection,
  ) {}

  static async start(
    binary: string,
    env: Record<string, string>,
    groups: ProcessGroups,
    handlers: CodexProcessHandlers,
    logger: ComponentLogger,
  ): Promise<CodexProcessStart> {
    let connection: JsonRpcConnection | null = null;
    const agent = new AgentProcess({
      binary,
      args: ["app-server"],
      env,
      groups,
      onLine: (line) => connection?.receive(line),
      onStderrLine: (line) => logger.debug({ line }, "codex app-server stderr"),
    });
    connection = new JsonRpcConnection(
      (message) => agent.write(message),
      {
        onNotification: (n) => handlers.onNotification(n),
        onServerRequest: (r) => handlers.onServerRequest(r),
      },
      logger,
    );
    const server = new CodexProcess(agent, connection);
    void agent.exited.then((exit) => {
      connection.close();
      if (!server.#expectedExit) handlers.onExit(exit);
    });

    const handshake = await Promise.race([
      connection.request("initialize", {
        clientInfo: { name: "replicas_engine", title: "Replicas engine", version: "0.1.0" },
        capabilities: {
          // For `thread/backgroundTerminals/clean`: an interrupt must also stop the commands.
          experimentalApi: true,
          requestAttestation: false,
          optOutNotificationMethods: optedOut,
        },
      }),
      sleep(initializeTimeoutMs).then(() => ({
        ok: false as const,
        error: { code: -1, message: `no reply to initialize within ${initializeTimeoutMs} ms` },
      })),
    ]);
    if (!handshake.ok) {
      server.kill();
      const exit = await agent.exited;
      const detail = exit.spawnErrorCode ? `cannot run ${binary} (${exit.spawnErrorCode})` : null;
      return {
        ok: false,
        error: turnError(
          providerErrorCodes.spawnFailed,
          `codex app-server did not start: ${detail ?? handshake.error.message}`,
          { binary, exitCode: exit.exitCode, stderrTail: exit.stderrTail },
        ),
      };
    }
    connection.notify("initialized");
    return { ok: true, server };
  }

  get alive(): boolean {
    return this.agent.alive;
  }

  get pid(): number | undefined {
    return this.agent.pid;
  }

  /** SIGKILL to its group at once; the caller has already ended the turns this process held. */
  kill(): void {
    this.#expectedExit = true;
    this.connection.close();
    this.agent.kill();
  }

  /** Closing stdin makes the app-server exit by itself (20–40 ms); kill it if it lingers. */
  async stop(): Promise<void> {
    this.#expectedExit = true;
    this.connection.close();
    await this.agent.stop(stopGraceMs);
  }
}
