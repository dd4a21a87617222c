import type {
  CanonicalItem,
  MessageAttachment,
  StreamedItemKind,
} from "../events/canonical-item.js";
import type { EventData } from "../events/catalogue.js";
import type { TurnError, TurnUsage } from "../events/chat-events.js";
import type { ChatSettings, ProviderName } from "../events/chat-settings.js";

/** What an adapter asks the engine to record when its agent asks: the event minus the engine's ids. */
export type ApprovalAsk = Omit<
  EventData<"chat.approval.requested">,
  "chatId" | "turnId" | "expiresAt"
>;

/** How a request was resolved, as the adapter relays it to its agent. */
export type ApprovalReply = Pick<
  EventData<"chat.approval.resolved">,
  "decision" | "by" | "message" | "updatedInput" | "scope" | "answers"
>;

/** What the engine hands an adapter to run one turn. */
export interface TurnRequest {
  chatId: string;
  turnId: string;
  text: string;
  cwd: string;
  /** The agent's own session/thread id from an earlier turn, to resume its conversation. */
  resumeSessionId: string | null;
  /** The chat's settings with the message's overrides applied. */
  settings: ChatSettings;
  /** Files sent with the message: images as image input, others by path. */
  attachments: MessageAttachment[];
  /**
   * Set when the turn is already open and waits for the answer to a durable request (an
   * engine restart came between): the adapter resumes the agent once the answer arrives,
   * sending no message of its own.
   */
  deferred?: DeferredCall;
}

/** A durable request's call, as recorded: what the resumed agent is answered about. */
export interface DeferredCall {
  approvalId: string;
  callId: string;
  toolName: string;
  input: Record<string, unknown>;
}

/**
 * What an adapter reports while a turn runs. Exactly one terminal output (completed, failed,
 * interrupted) ends every turn, including when the agent process dies.
 */
export type ProviderOutput =
  | { kind: "session"; sessionId: string }
  | { kind: "delta"; itemId: string; itemKind: StreamedItemKind; text: string }
  | { kind: "item"; itemId: string; item: CanonicalItem }
  /** The agent asks and waits: the engine records the request and relays the answer (`answer`). */
  | { kind: "approval"; ask: ApprovalAsk }
  /** Proof of life with nothing to record (a retry notice, a status line): feeds the watchdog. */
  | { kind: "activity" }
  | { kind: "completed"; usage: TurnUsage | null; costUsd: number | null }
  | { kind: "failed"; error: TurnError }
  | { kind: "interrupted" };

export type TerminalOutput = Extract<
  ProviderOutput,
  { kind: "completed" | "failed" | "interrupted" }
>;

/** This output ends the turn: nothing the provider reports after it belongs to the turn. */
export const isTerminalOutput = (output: ProviderOutput): output is TerminalOutput =>
  output.kind === "completed" || output.kind === "failed" || output.kind === "interrupted";

/** A running turn, stopped by escalation: graceful protocol interrupt, then a signal, then kill. */
export interface TurnHandle {
  /** The resolution of one of this turn's approval requests; unknown ids are ignored. */
  answer(approvalId: string, reply: ApprovalReply): void;
  interrupt(): void;
  signal(): void;
  kill(): void;
}

/** The handle of a turn that ended as it started (refused): nothing left to stop or answer. */
export const endedTurnHandle: TurnHandle = {
  answer: () => {},
  interrupt: () => {},
  signal: () => {},
  kill: () => {},
};

export interface ProviderProbe {
  found: boolean;
  path: string | null;
  version: string | null;
}

export interface AgentProvider {
  readonly name: ProviderName;
  startTurn(request: TurnRequest, emit: (output: ProviderOutput) => void): TurnHandle;
  /** The chat is gone: stop whatever process or thread it holds. */
  releaseChat(chatId: string): Promise<void>;
  /** Engine shutdown: stop every process. */
  shutdown(): Promise<void>;
  probe(): Promise<ProviderProbe>;
}
