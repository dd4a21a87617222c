import type { ReadModelReader } from "../../projections/read-model-reader.js";

/**
 * What a snapshot route reads: the committed read models, and the point of the log they
 * reflect (the engine's log serves it; the routes see nothing else of it).
 */
export interface ReadSide {
  readonly readModels: ReadModelReader;
  readonly commits: { readonly position: number };
  readonly epoch: string;
}

/** The position and epoch a snapshot served now reflects. */
export const snapshotAt = (readSide: ReadSide) => ({
  position: readSide.commits.position,
  epoch: readSide.epoch,
});
