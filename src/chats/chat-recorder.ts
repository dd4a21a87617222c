import type { NewEvent } from "../events/catalogue.js";
import { appendToStream } from "../log/append-to-stream.js";
import type { EventLog } from "../log/event-log.js";
import { readStreamVersion } from "../log/read-stream.js";
import type { Logger } from "../logger.js";

type Delta = Extract<NewEvent, { type: "chat.item.delta" }>;

/** Deltas of one item that arrive within this window become one event. */
export const DELTA_COALESCE_MS = 25;
const MAX_COALESCED_CHARS = 16_384;

/**
 * Appends one chat's records to its stream, in order, with the stream version it expects (so a
 * second writer would be caught, not interleaved). Streamed text is coalesced: consecutive
 * deltas of the same item merge until another record, another item or the window's end.
 */
export class ChatRecorder {
  private readonly stream: string;
  private version: number;
  private pending: Delta | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly log: EventLog,
    private readonly chatId: string,
    private readonly logger: Logger,
    private readonly coalesceMs = DELTA_COALESCE_MS,
  ) {
    this.stream = `chat:${chatId}`;
    this.version = readStreamVersion(log, this.stream);
  }

  record(event: NewEvent): void {
    if (event.type !== "chat.item.delta") {
      this.flush();
      this.append(event);
      return;
    }
    const pending = this.pending;
    if (
      pending &&
      pending.data.itemId === event.data.itemId &&
      pending.data.text.length < MAX_COALESCED_CHARS
    ) {
      pending.data = { ...pending.data, text: pending.data.text + event.data.text };
      return;
    }
    this.flush();
    this.pending = event;
    this.timer = setTimeout(() => this.flush(), this.coalesceMs);
  }

  /** Appends the pending delta, if any. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const pending = this.pending;
    this.pending = null;
    if (pending) this.append(pending);
  }

  /** `substitute`: a refused item gets a notice in its place; the notice itself never does. */
  private append(event: NewEvent, substitute = true): void {
    const result = appendToStream(this.log, this.stream, [event], {
      expectedVersion: this.version,
    });
    if (result.ok) {
      this.version = result.streamVersion;
      return;
    }
    const { error } = result;
    if (error.code === "invalid_event") {
      // A provider produced something the catalogue refuses: keep a trace, never crash the chat.
      this.logger.warn(
        { chatId: this.chatId, type: event.type, problem: error.message },
        "refused an invalid event",
      );
      if (substitute && event.type === "chat.item.added")
        this.append(refusedNotice(event, error.message), false);
      return;
    }
    // Another writer appended to this stream: a bug. Say so loudly and continue after it.
    this.logger.error({ chatId: this.chatId, error }, "unexpected append failure on a chat stream");
    this.version = readStreamVersion(this.log, this.stream);
    const retry = appendToStream(this.log, this.stream, [event], { expectedVersion: this.version });
    if (retry.ok) this.version = retry.streamVersion;
  }
}

type ItemAdded = Extract<NewEvent, { type: "chat.item.added" }>;

/** Ids are at most this long (`Id` in chat-events.ts). */
const MAX_ID = 200;
const REFUSED = ".refused";

/**
 * The notice recorded in place of a refused item: valid whatever was wrong with the item, so it
 * is recorded once and never refused in turn. Its id is the item's with `.refused` appended,
 * cut to fit when the item's own id was too long; the turn's id stands in for an empty one.
 */
export function refusedNotice(event: ItemAdded, problem: string): ItemAdded {
  const { chatId, turnId, itemId } = event.data;
  const base = (typeof itemId === "string" && itemId) || String(turnId);
  return {
    type: "chat.item.added",
    data: {
      chatId,
      turnId,
      itemId: `${base.slice(0, MAX_ID - REFUSED.length)}${REFUSED}`,
      item: {
        type: "notice",
        level: "error",
        message: `an item from the agent was refused: ${problem}`,
      },
    },
  };
}
