/**
 * Stored events are never rewritten: when an event's schema changes, its definition gets a new
 * schemaVersion and an entry here turns data of version N into version N+1 on read.
 * Shape: { "chat.created": { 1: (v1) => v2 } }. No event has changed its schema yet.
 */
export type Upcasters = Readonly<
  Record<string, Readonly<Record<number, (data: unknown) => unknown>>>
>;

export const upcasters: Upcasters = {};
