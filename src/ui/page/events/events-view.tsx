import { useEffect, useState } from "preact/hooks";
import type { EngineEvent } from "../../../events/catalogue.js";
import { useEngine } from "../engine-context.js";
import { ErrorNote } from "../error-note.js";
import { JsonToggle } from "../json-view.js";
import { VirtualList } from "../list/virtual-list.js";
import { errorText } from "../live/use-follow.js";
import { type EventFilter, EventWindow, matches, noFilter, readEarlier } from "./event-window.js";

const PAGE = 200;

function summary(event: EngineEvent): string {
  const data = event.data as Record<string, unknown>;
  const parts = ["chatId", "turnId", "itemId", "messageId", "runId", "name", "kind", "reason"]
    .filter((key) => typeof data[key] === "string")
    .map((key) => `${key}=${data[key] as string}`);
  return parts.join(" ");
}

function EventRow({ event }: { event: EngineEvent }) {
  return (
    <div class="event-row" data-event-type={event.type} data-position={event.position}>
      <span class="event-position">{event.position}</span>
      <time>{event.recordedAt.slice(11, 23)}</time>
      <span class="event-type">{event.type}</span>
      <span class="event-summary">{summary(event)}</span>
      <JsonToggle value={event} />
    </div>
  );
}

/** The log, live, with filters, each event's JSON on demand, and earlier pages from the log. */
export function EventsView() {
  const { client, live } = useEngine();
  const [log, setLog] = useState<EventWindow | null>(null);
  const [, setVersion] = useState(0);
  const [filter, setFilter] = useState<EventFilter>({ type: "", chatId: "" });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const loadEarlier = async (window: EventWindow, currentFilter: EventFilter) => {
    setLoading(true);
    setError(null);
    try {
      const { events, from } = await readEarlier(client, window.earliest, PAGE, currentFilter);
      window.prepend(events, from);
      setVersion(window.version);
    } catch (failure) {
      setError(errorText(failure));
    }
    setLoading(false);
  };

  useEffect(() => {
    let window: EventWindow | null = null;
    const off = live.subscribe((batch) => {
      if (!window) return;
      window.append(batch);
      setVersion(window.version);
    });
    // The window starts where the live stream is: what came before is read from the log.
    void live.ready.then(() => {
      window = new EventWindow(live.position);
      setLog(window);
      void loadEarlier(window, { type: "", chatId: "" });
    });
    return off;
  }, [live]);

  const events = log?.events ?? [];
  const shown = noFilter(filter) ? events : events.filter((e) => matches(e, filter));
  const types = [...(log?.types ?? [])].sort();
  const chats = [...(log?.chats ?? [])].sort();
  return (
    <section class="events" aria-label="Events">
      <div class="filters">
        <label>
          Type
          <input
            aria-label="Filter by type"
            list="event-types"
            value={filter.type}
            placeholder="all (or a prefix: chat.turn)"
            onInput={(e) =>
              setFilter({ ...filter, type: (e.target as HTMLInputElement).value.trim() })
            }
          />
          <datalist id="event-types">
            {types.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </label>
        <label>
          Chat
          <select
            aria-label="Filter by chat"
            value={filter.chatId}
            onChange={(e) =>
              setFilter({ ...filter, chatId: (e.target as HTMLSelectElement).value })
            }
          >
            <option value="">all</option>
            {chats.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <span class="muted">
          {shown.length} shown of {events.length} loaded
          {log && log.earliest > 0
            ? ` (after position ${log.earliest})`
            : " (from the log's start)"}
        </span>
      </div>
      {log && log.earliest > 0 && (
        <button type="button" onClick={() => loadEarlier(log, filter)} disabled={loading}>
          {loading ? "Loading…" : "Load earlier"}
        </button>
      )}
      <ErrorNote error={error} />
      <VirtualList
        label="Event log"
        count={shown.length}
        estimate={28}
        follow
        keyOf={(i) => String(shown[i]?.position ?? i)}
        render={(i) => {
          const event = shown[i];
          return event ? <EventRow event={event} /> : null;
        }}
      />
    </section>
  );
}
