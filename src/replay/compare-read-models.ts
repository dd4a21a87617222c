import type { Documents } from "../../projections/fold.js";
import type { AnyProjection } from "../../projections/projection.js";
import type { DocumentStore } from "../read-models/document-store.js";
import type { ProjectionCheckpoint } from "../read-models/projection-checkpoints.js";

/** The first place where the stored read models and a replay disagree, or null. */
export function compareReadModels(
  projections: readonly AnyProjection[],
  replayed: Map<string, Documents>,
  position: number,
  store: DocumentStore,
  checkpoints: (name: string) => ProjectionCheckpoint | undefined,
): string | null {
  for (const p of projections) {
    const checkpoint = checkpoints(p.name);
    if (!checkpoint) return `projection ${p.name}: no stored checkpoint`;
    if (checkpoint.position !== position) {
      return `projection ${p.name}: stored checkpoint at position ${checkpoint.position}, log ends at ${position}`;
    }
    const docs = replayed.get(p.name) ?? new Map();
    const stored = new Map(store.allRaw(p.name).map((row) => [row.doc_id, row]));
    const ids = [...new Set([...docs.keys(), ...stored.keys()])].sort();
    for (const id of ids) {
      const mine = docs.get(id);
      const theirs = stored.get(id);
      if (!mine) return `projection ${p.name}, document ${id}: stored but not produced by replay`;
      if (!theirs) return `projection ${p.name}, document ${id}: produced by replay but not stored`;
      const replayedJson = JSON.stringify(mine.data);
      if (theirs.data !== replayedJson) {
        return `projection ${p.name}, document ${id}: stored ${theirs.data} but replay gives ${replayedJson}`;
      }
      if (
        theirs.grp !== mine.group ||
        theirs.first_position !== mine.firstPosition ||
        theirs.last_position !== mine.lastPosition
      ) {
        return `projection ${p.name}, document ${id}: stored positions ${theirs.first_position}..${theirs.last_position} but replay gives ${mine.firstPosition}..${mine.lastPosition}`;
      }
    }
  }
  return null;
}
