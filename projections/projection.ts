import type { EngineEvent, EventOf, EventType } from "../src/events/catalogue.js";

/** Which document an event touches; `group` lets readers list documents together (a chat's items). */
export interface DocumentRef {
  id: string;
  group: string;
  /** The event creates this document (its id holds the event's position): no lookup first. */
  created?: true;
}

/**
 * A read model as a pure fold over the log: for each event, the documents it touches and how
 * each one evolves. No I/O and no clock, so a replay of the same log gives the same documents.
 * Bump `version` whenever evolve changes: the engine then rebuilds the documents at boot.
 */
export interface Projection<Doc = unknown, Type extends EventType = EventType> {
  readonly name: string;
  readonly version: number;
  /** Keep every document in memory (small read models the API serves on every request). */
  readonly cached: boolean;
  /** The event types it folds: the inline runner, the catch-up and replay hand it no other. */
  readonly handles: readonly Type[];
  documentsOf(event: EventOf<Type>): readonly DocumentRef[];
  /** The next state of one document; null removes it. */
  evolve(doc: Doc | null, event: EventOf<Type>): Doc | null;
  /**
   * A group whose documents this event removes all at once (a deleted chat's items), with its
   * subgroups: the groups named `<group>/…` (`inGroup`).
   */
  dropsGroup?(event: EventOf<Type>): string | null;
}

/** A document's group is the group itself or one of its subgroups (`<group>/…`). */
export const inGroup = (docGroup: string, group: string): boolean =>
  docGroup === group || docGroup.startsWith(`${group}/`);

/** Tells the events a projection handles from the others: what a runner checks before folding. */
export type HandledBy<Type extends EventType> = (event: EngineEvent) => event is EventOf<Type>;

const filters = new WeakMap<AnyProjection, (event: EngineEvent) => boolean>();

/** The projection's `handles` as a check, built once per projection (runners hoist it out of loops). */
export function handledBy<Doc, Type extends EventType>(
  projection: Projection<Doc, Type>,
): HandledBy<Type> {
  let handled = filters.get(projection);
  if (!handled) {
    const types: ReadonlySet<string> = new Set(projection.handles);
    handled = (event) => types.has(event.type);
    filters.set(projection, handled);
  }
  return handled as HandledBy<Type>;
}

/** A projection of any documents and events: how the runner and replay hold them in one list. */
// biome-ignore lint/suspicious/noExplicitAny: the list mixes projections of different document and event types
export type AnyProjection = Projection<any, any>;
