import { applyEvent, type FoldedDocument } from "../../projections/fold.js";
import {
  type AnyProjection,
  handledBy,
  inGroup,
  type Projection,
} from "../../projections/projection.js";
import type { ReadModelReader } from "../../projections/read-model-reader.js";
import type { Catalogue, EngineEvent, EventType } from "../events/catalogue.js";
import type { InlineProjections } from "../log/event-log.js";
import type { Db } from "../log/open-database.js";
import { prepareCached } from "../log/prepare-cached.js";
import { decodeEvent, eventColumns, type StoredEventRow } from "../log/stored-event.js";
import { documentStore } from "./document-store.js";
import { projectionCheckpoints } from "./projection-checkpoints.js";

type Staged = Map<string, FoldedDocument | null>;

/**
 * The inline projections' documents. `stage` runs inside the append transaction and writes rows
 * and checkpoints there; the in-memory caches change only through the returned publish step,
 * which the caller runs after the commit, so a rolled-back append leaves no trace anywhere.
 */
export class ReadModels implements InlineProjections, ReadModelReader {
  readonly documents;
  readonly checkpoints;
  private readonly caches = new Map<string, Map<string, FoldedDocument>>();

  constructor(
    private readonly db: Db,
    readonly projections: readonly AnyProjection[],
    private readonly catalogue: Catalogue,
  ) {
    this.documents = documentStore(db);
    this.checkpoints = projectionCheckpoints(db);
  }

  /** Fills the caches of the cached projections from their stored documents. */
  loadCaches(): void {
    for (const p of this.projections) {
      if (!p.cached) continue;
      this.caches.set(p.name, new Map(this.documents.all(p.name).map((d) => [d.id, d])));
    }
  }

  get<Doc, Type extends EventType>(projection: Projection<Doc, Type>, id: string): Doc | undefined {
    const cache = this.caches.get(projection.name);
    const doc = cache ? cache.get(id) : this.documents.get(projection.name, id);
    return doc?.data as Doc | undefined;
  }

  list<Doc, Type extends EventType>(projection: Projection<Doc, Type>): Doc[] {
    const cache = this.caches.get(projection.name);
    const docs = cache ? [...cache.values()] : this.documents.all(projection.name);
    return docs.map((d) => d.data as Doc);
  }

  /** A group's documents that first appeared after a position, oldest first. */
  listGroupPage<Doc, Type extends EventType>(
    projection: Projection<Doc, Type>,
    group: string,
    after: number,
    limit: number,
  ): FoldedDocument<Doc>[] {
    return this.documents.group(projection.name, group, after, limit) as FoldedDocument<Doc>[];
  }

  /** The `limit` documents of a group that appeared last, oldest first. */
  latestInGroup<Doc, Type extends EventType>(
    projection: Projection<Doc, Type>,
    group: string,
    limit: number,
  ): Doc[] {
    return this.documents.latest(projection.name, group, limit).map((d) => d.data as Doc);
  }

  eventsAt(positions: readonly number[]): Map<number, EngineEvent> {
    // One statement for a whole page of references: a lookup each cost as much again.
    const rows = prepareCached<[string], StoredEventRow>(
      this.db,
      `SELECT ${eventColumns} FROM events WHERE position IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(positions));
    return new Map(rows.map((row) => [row.position, decodeEvent(this.catalogue, row)]));
  }

  streamEvents(stream: string, fromVersion: number, throughPosition: number): EngineEvent[] {
    const rows = prepareCached<[string, number], StoredEventRow>(
      this.db,
      `SELECT ${eventColumns} FROM events WHERE stream = ? AND stream_version >= ? ORDER BY stream_version`,
    ).iterate(stream, fromVersion);
    // A stream's positions grow with its versions: the first one past the bound ends the read,
    // so a caller pays for the range it names, not for the rest of the stream.
    const events: EngineEvent[] = [];
    for (const row of rows) {
      if (row.position > throughPosition) break;
      events.push(decodeEvent(this.catalogue, row));
    }
    return events;
  }

  /** Call inside a transaction. Returns the step that publishes the result to the caches. */
  stage(
    events: readonly EngineEvent[],
    only: readonly AnyProjection[] = this.projections,
  ): () => void {
    const last = events.at(-1);
    if (!last) return () => {};
    const publishers = only.map((p) => this.stageOne(p, events));
    // Catch-up has written every projection's checkpoint row: an append advances them together.
    if (only === this.projections) this.checkpoints.advanceAll(last.position);
    else
      for (const p of only)
        this.checkpoints.put({ name: p.name, version: p.version, position: last.position });
    return () => {
      for (const publish of publishers) publish();
    };
  }

  private stageOne(p: AnyProjection, events: readonly EngineEvent[]): () => void {
    const handled = events.filter(handledBy(p));
    if (handled.length === 0) return () => {};
    const cache = this.caches.get(p.name);
    const staged: Staged = new Map();
    const dropped = new Set<string>();
    const load = (id: string): FoldedDocument | undefined => {
      if (staged.has(id)) return staged.get(id) ?? undefined;
      const doc = cache ? cache.get(id) : this.documents.get(p.name, id);
      const gone =
        doc && dropped.size > 0 && [...dropped].some((group) => inGroup(doc.group, group));
      return gone ? undefined : doc;
    };
    const dropGroup = (group: string) => {
      dropped.add(group);
      for (const [id, doc] of staged) if (doc && inGroup(doc.group, group)) staged.delete(id);
    };
    const write = (id: string, doc: FoldedDocument | null) => staged.set(id, doc);
    for (const event of handled) applyEvent(p, load, write, event, dropGroup);
    for (const group of dropped) this.documents.removeGroup(p.name, group);
    for (const [id, doc] of staged) {
      if (doc) this.documents.put(p.name, doc);
      else this.documents.remove(p.name, id);
    }
    if (!cache) return () => {};
    return () => {
      for (const group of dropped) {
        for (const [id, doc] of cache) if (inGroup(doc.group, group)) cache.delete(id);
      }
      for (const [id, doc] of staged) {
        if (doc) cache.set(id, doc);
        else cache.delete(id);
      }
    };
  }
}
