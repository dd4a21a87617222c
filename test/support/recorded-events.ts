import type { EngineEvent, NewEvent } from "../../src/events/catalogue.js";

/**
 * Turns plain new events into recorded ones with consecutive positions and times, so pure folds
 * can be tested given/when/then without a database.
 */
export function recorded(events: readonly NewEvent[], start = 1): EngineEvent[] {
  return events.map((event, i) => {
    const position = start + i;
    const data = event.data as { chatId?: string };
    return {
      position,
      eventId: `event-${position}`,
      stream: data.chatId ? `chat:${data.chatId}` : "engine",
      streamVersion: position,
      type: event.type,
      schemaVersion: 1,
      data: event.data,
      recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, position)).toISOString(),
    } as EngineEvent;
  });
}
