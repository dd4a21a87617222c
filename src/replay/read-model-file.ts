import type { Documents } from "../../projections/fold.js";
import type { AnyProjection } from "../../projections/projection.js";

/**
 * One projection's documents as the replay tool writes them: sorted by id, one document per
 * line, so two replays of the same log are byte-identical and a diff is readable.
 */
export function renderReadModel(
  projection: AnyProjection,
  position: number,
  docs: Documents,
): string {
  const header = JSON.stringify({
    projection: projection.name,
    version: projection.version,
    position,
  });
  const lines = [...docs.values()]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((d) =>
      JSON.stringify({
        id: d.id,
        group: d.group,
        firstPosition: d.firstPosition,
        lastPosition: d.lastPosition,
        data: d.data,
      }),
    );
  return `${[header, ...lines].join("\n")}\n`;
}
