import type { EngineEvent } from "../src/events/catalogue.js";

/** Which document an event touches; `group` lets readers list documents together (a chat's items). */
export interface DocumentRef {
  id: string;
  group: string;
}

/**
 * A read model as a pure fold over the log: for each event, the documents it touches and how
 * each one evolves. No I/O and no clock, so a replay of the same log gives the same documents.
 * Bump `version` whenever evolve changes: the engine then rebuilds the documents at boot.
 */
export interface Projection<Doc = unknown> {
  readonly name: string;
  readonly version: number;
  /** Keep every document in memory (small read models the API serves on every request). */
  readonly cached: boolean;
  documentsOf(event: EngineEvent): readonly DocumentRef[];
  /** The next state of one document; null removes it. */
  evolve(doc: Doc | null, event: EngineEvent): Doc | null;
  /**
   * A group whose documents this event removes all at once (a deleted chat's items), with its
   * subgroups: the groups named `<group>/…` (`inGroup`).
   */
  dropsGroup?(event: EngineEvent): string | null;
}

/** A document's group is the group itself or one of its subgroups (`<group>/…`). */
export const inGroup = (docGroup: string, group: string): boolean =>
  docGroup === group || docGroup.startsWith(`${group}/`);
