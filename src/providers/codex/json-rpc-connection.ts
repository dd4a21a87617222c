import type { ComponentLogger } from "../../logger.js";

/** A JSON-RPC error object as the app-server sends it. */
export interface RpcError {
  code: number;
  message: string;
}

export type RpcResult = { ok: true; result: unknown } | { ok: false; error: RpcError };

export interface RpcNotification {
  method: string;
  params: unknown;
}

export interface RpcServerRequest {
  id: number | string;
  method: string;
  params: unknown;
}

/** The connection is gone; every request still waiting gets this. */
const closedError: RpcError = { code: -32000, message: "connection closed" };

/**
 * JSON-RPC over newline-delimited JSON, as `codex app-server` speaks it on stdio (no "jsonrpc"
 * field). Requests resolve to typed results, never throw. A line that is not a JSON object is
 * counted and logged, never fatal: one bad line must not take down every chat of the process.
 */
export class JsonRpcConnection {
  #nextId = 1;
  #pending = new Map<number, (result: RpcResult) => void>();
  #closed = false;
  #malformedLines = 0;

  constructor(
    /** Writes one message as a line to the server; false when it is gone. */
    private readonly send: (message: Record<string, unknown>) => boolean,
    private readonly handlers: {
      onNotification: (notification: RpcNotification) => void;
      onServerRequest: (request: RpcServerRequest) => void;
    },
    private readonly logger: ComponentLogger,
  ) {}

  get malformedLines(): number {
    return this.#malformedLines;
  }

  request(method: string, params: unknown): Promise<RpcResult> {
    if (this.#closed) return Promise.resolve({ ok: false, error: closedError });
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#write({ id, method, params });
    });
  }

  notify(method: string, params?: unknown): void {
    this.#write(params === undefined ? { method } : { method, params });
  }

  respond(id: number | string, result: unknown): void {
    this.#write({ id, result });
  }

  respondError(id: number | string, error: RpcError): void {
    this.#write({ id, error });
  }

  /** Fails every waiting request; later requests fail at once. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const resolve of this.#pending.values()) resolve({ ok: false, error: closedError });
    this.#pending.clear();
  }

  #write(message: Record<string, unknown>): void {
    if (!this.#closed) this.send(message);
  }

  /** One line the server wrote. */
  receive(line: string): void {
    if (line.trim() === "") return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      message = undefined;
    }
    if (typeof message !== "object" || message === null || Array.isArray(message)) {
      this.#malformed(line);
      return;
    }
    const { id, method, params, result, error } = message as Record<string, unknown>;
    if (typeof method === "string") {
      if (typeof id === "number" || typeof id === "string") {
        this.handlers.onServerRequest({ id, method, params });
      } else {
        this.handlers.onNotification({ method, params });
      }
      return;
    }
    if (typeof id !== "number") {
      this.#malformed(line);
      return;
    }
    const resolve = this.#pending.get(id);
    if (!resolve) {
      this.logger.debug({ id }, "codex reply to an unknown request");
      return;
    }
    this.#pending.delete(id);
    if (error !== undefined) resolve({ ok: false, error: toRpcError(error) });
    else resolve({ ok: true, result });
  }

  #malformed(line: string): void {
    this.#malformedLines += 1;
    this.logger.warn(
      {
        count: this.#malformedLines,
        line: line.slice(0, 200),
      },
      "codex app-server sent a malformed line",
    );
  }
}

function toRpcError(error: unknown): RpcError {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return {
    code: typeof code === "number" ? code : -32603,
    message: typeof message === "string" ? message : "unknown error",
  };
}
