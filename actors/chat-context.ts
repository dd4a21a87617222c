import type { NewEvent } from "../src/events/catalogue.js";
import type { ChatSettings } from "../src/events/chat-settings.js";
import type { ApprovalReply, TurnRequest } from "../src/providers/provider.js";
import type { ChatCommand } from "./chat-decider.js";
import type { ChatState } from "./chat-state.js";
import type { TurnStop } from "./turn-outcome.js";

export type { ChatCommand };

/**
 * What the machine hears: the commands it decides, and the running turn's report that its
 * agent has been silent for the watchdog's time (provider-turn.ts keeps that clock).
 */
export type ChatEvent = ChatCommand | { type: "WATCHDOG" };

export interface ChatContext {
  /** The chat's state, changed only by folding the events the machine records (`evolve`). */
  chat: ChatState;
  /** The open turn's request, handed to the invoked provider turn. */
  request: TurnRequest | null;
  /** Why the open turn is being stopped, and whether the engine is shutting down. */
  stop: TurnStop;
  timing: ChatTiming;
  /** The engine-wide settings (from its environment) that a chat's and a message's override. */
  defaults: ChatSettings;
}

export interface ChatTiming {
  /** The clock that stamps the log's events: turns are timed with it. */
  now: () => Date;
  /** Each escalation step (interrupt, signal, kill, give up) waits this long. */
  graceMs: number;
  /** An approval request waits this long unless the chat's settings say otherwise. */
  approvalTimeoutMs: number;
}

export type ChatInput = Pick<ChatContext, "chat" | "timing" | "defaults">;

/** Every transition's record: the engine appends these to the chat's stream, in order. */
export type ChatEmitted = { type: "record"; event: NewEvent };

/** What the machine tells the running provider turn. */
export type ProviderCommand =
  | { type: "interrupt" }
  | { type: "signal" }
  | { type: "kill" }
  /** A request of the turn was resolved: relay the answer to the agent. */
  | { type: "answer"; approvalId: string; reply: ApprovalReply };
