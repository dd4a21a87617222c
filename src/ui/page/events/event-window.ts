import type { EngineClient } from "../../../client/engine-client.js";
import type { EngineEvent } from "../../../events/catalogue.js";

export interface EventFilter {
  /** An exact type or a prefix ("chat.turn"); empty for all. */
  type: string;
  chatId: string;
}

export const noFilter = (filter: EventFilter) => !filter.type && !filter.chatId;

export function matches(event: EngineEvent, filter: EventFilter): boolean {
  if (filter.type && !(event.type === filter.type || event.type.startsWith(`${filter.type}.`)))
    return false;
  if (filter.chatId && !("chatId" in event.data && event.data.chatId === filter.chatId))
    return false;
  return true;
}

/** How many events the window keeps while following the live stream; older ones are read again on demand. */
export const LIVE_CAP = 20_000;

/**
 * A contiguous stretch of the log: every event after `earliest`, in order. Live events append;
 * "load earlier" prepends what the log holds before `earliest`. Nothing is filtered here, so a
 * change of filter needs no new read.
 */
export class EventWindow {
  events: EngineEvent[] = [];
  /** The types and chats seen, for the filters' choices (kept as events arrive, not rescanned). */
  readonly types = new Set<string>();
  readonly chats = new Set<string>();
  version = 0;

  constructor(public earliest: number) {}

  private note(events: readonly EngineEvent[]): void {
    for (const event of events) {
      this.types.add(event.type);
      if ("chatId" in event.data) this.chats.add(event.data.chatId);
    }
  }

  append(batch: readonly EngineEvent[]): void {
    if (batch.length === 0) return;
    this.note(batch);
    this.events.push(...batch);
    // Dropped in slices, not one by one: a splice copies the whole array.
    if (this.events.length > LIVE_CAP + 2_000) {
      const dropped = this.events.splice(0, this.events.length - LIVE_CAP);
      this.earliest = dropped.at(-1)?.position ?? this.earliest;
    }
    this.version++;
  }

  prepend(older: EngineEvent[], from: number): void {
    this.note(older);
    this.events = older.concat(this.events);
    this.earliest = from;
    this.version++;
  }
}

/** Events in (after, through] read from /events with the typed client; the reading stops at `through`. */
export async function readRange(
  client: EngineClient,
  after: number,
  through: number,
): Promise<EngineEvent[]> {
  const events: EngineEvent[] = [];
  if (through <= after) return events;
  const abort = new AbortController();
  try {
    for await (const item of client.events({ after, signal: abort.signal })) {
      if (item.kind === "reset" || item.event.position > through) break;
      events.push(item.event);
      if (item.event.position === through) break;
    }
  } finally {
    abort.abort();
  }
  return events;
}

const SCAN_STEP = 500;
const SCAN_LIMIT = 20_000;

/**
 * The log before `before`, read back in steps until `want` events match the filter, the log's
 * start, or SCAN_LIMIT events read (a filter that matches little must not read the whole log).
 */
export async function readEarlier(
  client: EngineClient,
  before: number,
  want: number,
  filter: EventFilter,
): Promise<{ events: EngineEvent[]; from: number }> {
  let to = before;
  let found = 0;
  const chunks: EngineEvent[][] = [];
  while (to > 0 && found < want && before - to < SCAN_LIMIT) {
    const from = Math.max(0, to - SCAN_STEP);
    const chunk = await readRange(client, from, to);
    chunks.unshift(chunk);
    found += chunk.filter((e) => matches(e, filter)).length;
    to = from;
  }
  return { events: chunks.flat(), from: to };
}
