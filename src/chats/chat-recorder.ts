import type { NewEvent } from "../events/catalogue.js";
import { type AppendGroup, appendGroupOf, type GroupedAppendResult } from "../log/append-group.js";
import { appendToStream } from "../log/append-to-stream.js";
import type { EventLog } from "../log/event-log.js";
import { readStreamVersion } from "../log/read-stream.js";
import type { Logger } from "../logger.js";

type Delta = Extract<NewEvent, { type: "chat.item.delta" }>;

/**
 * After a delta is appended, later deltas wait until this long has passed; what arrived in the
 * meantime is then appended as one event. A delta with no append this recent goes out at once.
 * One millisecond: since every chat's deltas of a loop turn share one commit, the window bounds
 * events, not commits, and a 10 ms window held nearly every delta of a chat streaming one per
 * 10 ms for up to 10 ms (the paced p99 of bench/e2e.ts: 25–33 ms with it, 15–17 ms at 1 ms).
 */
export const DELTA_COALESCE_MS = 1;
const MAX_COALESCED_CHARS = 16_384;

/**
 * Appends one chat's records to its stream, in order, with the stream version it expects (so a
 * second writer would be caught, not interleaved). Streamed text is coalesced only under a
 * backlog: a delta of a quiet stream is appended at once and opens a window; deltas arriving
 * while it is open are held, consecutive deltas of the same item merging, until the window
 * ends (which appends them and opens the next), another item or another record arrives. So an
 * idle stream pays no wait, and a fast one costs at most one delta event per window and item.
 *
 * Deltas join the log's append group (src/log/append-group.ts): every chat's deltas of one
 * event-loop turn commit together at its end. Any other record commits at once, together with
 * what the group holds, so a chat's records keep their order and what the API answers from a
 * record (a message queued durably before 202) holds as soon as `record` returns.
 */
export class ChatRecorder {
  private readonly stream: string;
  private version: number;
  private pending: Delta | null = null;
  private window: NodeJS.Timeout | null = null;
  private readonly group: AppendGroup;

  constructor(
    private readonly log: EventLog,
    private readonly chatId: string,
    private readonly logger: Logger,
    private readonly coalesceMs = DELTA_COALESCE_MS,
  ) {
    this.stream = `chat:${chatId}`;
    this.version = readStreamVersion(log, this.stream);
    this.group = appendGroupOf(log);
  }

  record(event: NewEvent): void {
    if (event.type !== "chat.item.delta") {
      this.appendPending();
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
    this.appendPending();
    if (this.window) {
      this.pending = event;
      return;
    }
    this.append(event);
    this.openWindow();
  }

  /**
   * Commits the pending delta, if any, and what the group holds, and closes the window: the next
   * delta goes out at once. Called when the chat is deleted, when its actor is released, and at
   * shutdown.
   */
  flush(): void {
    if (this.window) clearTimeout(this.window);
    this.window = null;
    this.appendPending();
    this.group.flush();
  }

  private openWindow(): void {
    this.window = setTimeout(() => {
      this.window = null;
      // Nothing arrived: the stream is quiet again. Otherwise the backlog goes out now and the
      // next window bounds the one after it.
      if (!this.pending) return;
      this.appendPending();
      this.openWindow();
    }, this.coalesceMs);
  }

  private appendPending(): void {
    const pending = this.pending;
    this.pending = null;
    if (pending) this.append(pending);
  }

  /** `substitute`: a refused item gets a notice in its place; the notice itself never does. */
  private append(event: NewEvent, substitute = true): void {
    const options = { expectedVersion: this.version };
    if (event.type !== "chat.item.delta") {
      this.settled(event, this.group.appendNow(this.stream, [event], options), substitute);
      return;
    }
    const queued = this.group.queue(this.stream, [event], options, (result) => {
      // Heard in the group's flush, after `record` returned: nobody above would catch a throw.
      try {
        this.settled(event, result, substitute);
      } catch (error) {
        this.logger.error({ err: error, chatId: this.chatId }, "could not record a chat event");
      }
    });
    // The stream stands one further once the group commits; a failure there re-reads it.
    if (queued.ok) this.version += 1;
    else this.settled(event, queued, substitute);
  }

  private settled(event: NewEvent, result: GroupedAppendResult, substitute: boolean): void {
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
    this.version = readStreamVersion(this.log, this.stream);
    if (error.code === "append_failed") {
      this.logger.error(
        { chatId: this.chatId, type: event.type, err: error.cause },
        "could not record a chat event",
      );
      return;
    }
    // Another writer appended to this stream (a bug), or an earlier record of this chat in the
    // same group failed so: say so loudly and continue after it, in order.
    this.logger.error({ chatId: this.chatId, error }, "unexpected append failure on a chat stream");
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
