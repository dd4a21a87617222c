import {
  isTerminalOutput,
  type ProviderOutput,
  type TerminalOutput,
  type TurnRequest,
} from "../provider.js";
import type { CodexProcess } from "./codex-process.js";
import type { RpcNotification, RpcServerRequest } from "./json-rpc-connection.js";
import type { CodexLineMapper } from "./line-mapper.js";

/**
 * - `open`: the engine is waiting for this turn's outputs.
 * - `abandoned`: ended towards the engine (signal/kill), but Codex may still be running it; its
 *   notifications are swallowed until Codex closes it, so the next turn knows when the thread is
 *   free.
 * - `closed`: over on both sides.
 */
export type RunningTurnState = "open" | "abandoned" | "closed";

/** An app-server request of the turn waiting for the engine's answer. */
export interface PendingApproval {
  server: CodexProcess;
  id: RpcServerRequest["id"];
  method: string;
  params: Record<string, unknown>;
}

/** One engine turn on one Codex thread; guarantees exactly one terminal output. */
export class RunningTurn {
  state: RunningTurnState = "open";
  /** The app-server generation the turn runs in, once it has one. */
  generation: number | null = null;
  threadId: string | null = null;
  interruptRequested = false;
  /** turn/start was sent: from here on Codex may be running the turn. */
  startSent = false;
  /** The app-server's approval requests waiting for an answer, by approval id. */
  readonly approvals = new Map<string, PendingApproval>();
  /**
   * The changes of the turn's file-change items, by item id: a file-change approval request
   * names only the item (docs/approvals-research.md).
   */
  readonly fileChanges = new Map<string, unknown>();
  #closedWaiters: (() => void)[] = [];

  constructor(
    readonly request: TurnRequest,
    private readonly emit: (output: ProviderOutput) => void,
    readonly mapper: CodexLineMapper,
    private readonly onClosed: (turn: RunningTurn) => void,
  ) {}

  get codexTurnId(): string | null {
    return this.mapper.turnId;
  }

  /** Outputs that are not terminal, while the engine still listens. */
  report(output: ProviderOutput): void {
    if (this.state === "open") this.emit(output);
  }

  /** Feeds Codex's notification through the mapper; Codex's own end closes the turn. */
  receive(notification: RpcNotification): void {
    const item = (
      notification.params as { item?: { type?: unknown; id?: unknown; changes?: unknown } }
    )?.item;
    if (notification.method === "item/started" && item?.type === "fileChange") {
      if (typeof item.id === "string") this.fileChanges.set(item.id, item.changes);
    }
    this.deliver(this.mapper.handle(notification));
  }

  deliver(outputs: ProviderOutput[]): void {
    for (const output of outputs) {
      if (isTerminalOutput(output)) {
        this.end(output);
        // An early end (earlyEnd) leaves the turn running in Codex: abandoned until it closes.
        if (this.mapper.finished) this.close();
      } else {
        this.report(output);
      }
    }
  }

  /** Reports the terminal output once; later calls do nothing. */
  end(output: TerminalOutput): void {
    if (this.state !== "open") return;
    this.state = "abandoned";
    this.emit(output);
  }

  close(): void {
    if (this.state === "closed") return;
    this.state = "closed";
    this.onClosed(this);
    for (const wake of this.#closedWaiters.splice(0)) wake();
  }

  /** Resolves true once Codex closed the turn, false after `timeoutMs`. */
  waitClosed(timeoutMs: number): Promise<boolean> {
    if (this.state === "closed") return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.#closedWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
