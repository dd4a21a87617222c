import type { EngineEvent, EventType } from "../src/events/catalogue.js";
import type { FoldedDocument } from "./fold.js";
import type { Projection } from "./projection.js";

/**
 * What a projection's queries read: its committed documents, by id, all of them, or a group's
 * (ReadModels in src/read-models serves it, from its caches or SQLite), and the events a
 * document refers to instead of copying them.
 */
export interface ReadModelReader {
  get<Doc, Type extends EventType>(projection: Projection<Doc, Type>, id: string): Doc | undefined;
  list<Doc, Type extends EventType>(projection: Projection<Doc, Type>): Doc[];
  /** A group's documents that first appeared after a position, oldest first. */
  listGroupPage<Doc, Type extends EventType>(
    projection: Projection<Doc, Type>,
    group: string,
    after: number,
    limit: number,
  ): FoldedDocument<Doc>[];
  /** The `limit` documents of a group that appeared last, oldest first. */
  latestInGroup<Doc, Type extends EventType>(
    projection: Projection<Doc, Type>,
    group: string,
    limit: number,
  ): Doc[];
  /** The committed events at these positions (what documents' references name), by position. */
  eventsAt(positions: readonly number[]): Map<number, EngineEvent>;
  /** A stream's committed events from a version on, in order, up to a position of the log. */
  streamEvents(stream: string, fromVersion: number, throughPosition: number): EngineEvent[];
}
