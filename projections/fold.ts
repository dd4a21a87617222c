import type { EngineEvent, EventOf, EventType } from "../src/events/catalogue.js";
import { handledBy, inGroup, type Projection } from "./projection.js";

export interface FoldedDocument<Doc = unknown> {
  id: string;
  group: string;
  data: Doc;
  firstPosition: number;
  lastPosition: number;
}

export type Documents<Doc = unknown> = Map<string, FoldedDocument<Doc>>;

/**
 * Applies one event the projection handles (see `handledBy`) to an in-memory set of documents.
 * The inline runner and the replay tool both fold through here, so the stored read models and a
 * replay cannot drift apart.
 */
export function applyEvent<Doc, Type extends EventType>(
  projection: Projection<Doc, Type>,
  read: (id: string) => FoldedDocument<Doc> | undefined,
  write: (id: string, doc: FoldedDocument<Doc> | null) => void,
  event: EventOf<Type>,
  dropGroup: (group: string) => void,
): void {
  const group = projection.dropsGroup?.(event);
  if (group) dropGroup(group);
  for (const ref of projection.documentsOf(event)) {
    const current = ref.created ? undefined : read(ref.id);
    const next = projection.evolve(current?.data ?? null, event);
    write(
      ref.id,
      next === null
        ? null
        : {
            id: ref.id,
            group: ref.group,
            data: next,
            firstPosition: current?.firstPosition ?? event.position,
            lastPosition: event.position,
          },
    );
  }
}

/**
 * One projection's fold over an in-memory map of documents, one event at a time; hand it only
 * events the projection handles. The replay tool keeps one per projection and gives each event
 * to those whose `handles` name its type.
 */
export function documentFolder<Doc, Type extends EventType>(
  projection: Projection<Doc, Type>,
  docs: Documents<Doc> = new Map(),
): (event: EventOf<Type>) => void {
  const read = (id: string) => docs.get(id);
  const write = (id: string, doc: FoldedDocument<Doc> | null) =>
    doc ? docs.set(id, doc) : docs.delete(id);
  const dropGroup = (group: string) => {
    for (const [id, doc] of docs) if (inGroup(doc.group, group)) docs.delete(id);
  };
  return (event) => applyEvent(projection, read, write, event, dropGroup);
}

/** Folds the events it handles into a map of documents: for tests and the replay tool. */
export function foldEvents<Doc, Type extends EventType>(
  projection: Projection<Doc, Type>,
  events: Iterable<EngineEvent>,
  docs: Documents<Doc> = new Map(),
): Documents<Doc> {
  const handled = handledBy(projection);
  const fold = documentFolder(projection, docs);
  for (const event of events) if (handled(event)) fold(event);
  return docs;
}
