import type { QueuedMessage } from "../projections/chats.js";
import type { NewEvent } from "../src/events/catalogue.js";
import type { StopReason } from "../src/events/chat-events.js";
import type { ChatSettings, ProviderName } from "../src/events/chat-settings.js";
import type { ProviderOutput } from "../src/providers/provider.js";

export interface ActiveTurn {
  turnId: string;
  messageId: string;
  text: string;
  settings: ChatSettings;
  startedAt: number;
  /** Set once a stop was asked for; decides how the turn's end is recorded. */
  stopReason: StopReason | null;
}

export interface ChatContext {
  chatId: string;
  provider: ProviderName;
  cwd: string;
  settings: ChatSettings;
  sessionId: string | null;
  queue: QueuedMessage[];
  turn: ActiveTurn | null;
  /** The engine is shutting down: finish (or stop) the turn, start no other. */
  stopping: boolean;
  timing: ChatTiming;
}

export interface ChatTiming {
  /** The clock the turn durations are measured with. */
  now: () => number;
  /** A provider silent this long has its turn stopped. */
  watchdogMs: number;
  /** Each escalation step (interrupt, signal, kill, give up) waits this long. */
  graceMs: number;
}

export type ChatInput = Omit<ChatContext, "turn" | "stopping">;

export type ChatEvent =
  | { type: "MESSAGE"; message: QueuedMessage }
  | { type: "INTERRUPT" }
  | { type: "DELETE" }
  | { type: "SHUTDOWN" }
  | { type: "PROVIDER"; output: ProviderOutput };

/** Every transition's record: the engine appends these to the chat's stream, in order. */
export type ChatEmitted = { type: "record"; event: NewEvent };

/** What the machine tells the running provider turn. */
export type ProviderCommand = { type: "interrupt" } | { type: "signal" } | { type: "kill" };
