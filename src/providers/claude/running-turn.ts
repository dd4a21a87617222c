import type { ComponentLogger } from "../../logger.js";
import type {
  ApprovalReply,
  DeferredCall,
  ProviderOutput,
  TerminalOutput,
  TurnRequest,
} from "../provider.js";
import type { CanUseTool } from "./approval-mapping.js";
import { ClaudeLineMapper } from "./line-mapper.js";

/** A `can_use_tool` of the turn waiting for the engine's answer. */
export interface PendingPermission {
  requestId: string;
  request: CanUseTool;
}

/** One engine turn in a chat's `claude` process; guarantees exactly one terminal output. */
export class RunningTurn {
  readonly mapper = new ClaudeLineMapper();
  interruptRequested = false;
  /** The user message was written to the process: from here on the CLI runs the turn. */
  userSent = false;
  /** Set while a resume that found no session is being retried as a fresh session. */
  restartingFresh = false;
  /** The CLI's permission prompts waiting for an answer, by approval id. */
  readonly permissions = new Map<string, PendingPermission>();
  /** A call the hook deferred, waiting for its answer; resumed in a new process of `sessionId`. */
  deferred: (DeferredCall & { sessionId: string | null }) | null = null;
  /** The answer a resumed call was given: the CLI may still ask about it (ExitPlanMode does). */
  settled: { callId: string; toolName: string; reply: ApprovalReply } | null = null;
  #ended = false;

  constructor(
    readonly request: TurnRequest,
    private readonly emit: (output: ProviderOutput) => void,
    private readonly logger: ComponentLogger,
  ) {}

  get ended(): boolean {
    return this.#ended;
  }

  /** Outputs that are not terminal, while the turn is open. */
  report(output: ProviderOutput): void {
    if (!this.#ended) this.#send(output);
  }

  /** Reports the terminal output once; false when the turn had ended already. */
  end(output: TerminalOutput): boolean {
    if (this.#ended) return false;
    this.#ended = true;
    this.#send(output);
    return true;
  }

  /** A throwing handler must not take the stdout reader (and the engine) down with it. */
  #send(output: ProviderOutput): void {
    try {
      this.emit(output);
    } catch (error) {
      this.logger.warn(
        { chatId: this.request.chatId, output: output.kind, error: String(error) },
        "the output handler threw",
      );
    }
  }
}
