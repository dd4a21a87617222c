import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { execa, type ResultPromise } from "execa";
import type { TurnError } from "../../events/chat-events.js";
import type { ComponentLogger } from "../../logger.js";
import {
  JsonRpcConnection,
  type RpcNotification,
  type RpcServerRequest,
} from "./json-rpc-connection.js";
import { codexErrorCodes } from "./turn-error.js";

const initializeTimeoutMs = 20_000;
const stopGraceMs = 2_000;
const stderrTailLines = 5;

/** Notifications nobody reads; opting out keeps them off the pipe. */
const optedOut = ["account/rateLimits/updated", "remoteControl/status/changed"];

export interface AppServerExit {
  code: number | null;
  signal: string | null;
  /** The last stderr lines, for the crash report. */
  stderrTail: string[];
}

export interface AppServerHandlers {
  onNotification(notification: RpcNotification): void;
  onServerRequest(request: RpcServerRequest): void;
  /** The process ended; not called after `stop()` or `kill()` asked for it. */
  onExit(exit: AppServerExit): void;
}

export type AppServerStart = { ok: true; server: AppServer } | { ok: false; error: TurnError };

/**
 * One `codex app-server` process: JSON-RPC on stdio, initialized and ready for threads. Its life
 * is bounded by the adapter (stopped by `shutdown()`, killed with the engine by execa's cleanup),
 * so it has no wall-clock timeout of its own; the handshake does.
 */
export class AppServer {
  #expectedExit = false;
  #exited = false;
  readonly #exit: Promise<void>;

  private constructor(
    private readonly process: ResultPromise,
    readonly connection: JsonRpcConnection,
    exit: Promise<void>,
  ) {
    this.#exit = exit;
  }

  static async start(
    binary: string,
    env: NodeJS.ProcessEnv,
    handlers: AppServerHandlers,
    logger: ComponentLogger,
  ): Promise<AppServerStart> {
    const child = execa(binary, ["app-server"], {
      env,
      extendEnv: false,
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
      buffer: false,
      reject: false,
      cleanup: true,
    });
    const stderrTail: string[] = [];
    if (child.stderr) {
      createInterface({ input: child.stderr }).on("line", (line) => {
        stderrTail.push(line.slice(0, 500));
        if (stderrTail.length > stderrTailLines) stderrTail.shift();
        logger.debug({ line: line.slice(0, 500) }, "codex app-server stderr");
      });
    }
    let server: AppServer | undefined;
    const connection = new JsonRpcConnection(
      child.stdout as NonNullable<typeof child.stdout>,
      child.stdin as NonNullable<typeof child.stdin>,
      {
        onNotification: (n) => handlers.onNotification(n),
        onServerRequest: (r) => handlers.onServerRequest(r),
      },
      logger,
    );
    const exit = child.then((result) => {
      connection.close();
      if (server) server.#exited = true;
      if (server && !server.#expectedExit) {
        handlers.onExit({
          code: result.exitCode ?? null,
          signal: result.signal ?? null,
          stderrTail: [...stderrTail],
        });
      }
      return result;
    });
    server = new AppServer(
      child,
      connection,
      exit.then(() => undefined),
    );

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
      const result = await exit;
      const detail = result.failed && result.exitCode === undefined ? result.shortMessage : null;
      return {
        ok: false,
        error: {
          code: codexErrorCodes.spawnFailed,
          message: `codex app-server did not start: ${detail ?? handshake.error.message}`,
          details: { binary, exitCode: result.exitCode ?? null, stderrTail: [...stderrTail] },
        },
      };
    }
    connection.notify("initialized");
    return { ok: true, server };
  }

  get alive(): boolean {
    return !this.#exited;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** SIGKILL at once; the caller has already ended the turns this process held. */
  kill(): void {
    this.#expectedExit = true;
    this.connection.close();
    this.process.kill("SIGKILL");
  }

  /** Closing stdin makes the app-server exit by itself (20–40 ms); kill it if it lingers. */
  async stop(): Promise<void> {
    this.#expectedExit = true;
    this.connection.close();
    this.process.stdin?.end();
    const exited = await Promise.race([this.#exit.then(() => true), sleep(stopGraceMs, false)]);
    if (!exited) {
      this.process.kill("SIGKILL");
      await this.#exit;
    }
  }
}
