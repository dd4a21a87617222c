import type { RepoSummary } from "../src/events/repo-events.js";
import type { Projection } from "./projection.js";

/** The last recorded summary of each repository, by path: what a new scan is compared with. */
export const reposProjection: Projection<RepoSummary, "repo.status.changed" | "repo.removed"> = {
  name: "repos",
  version: 1,
  cached: true,
  handles: ["repo.status.changed", "repo.removed"],
  documentsOf: (event) => [
    { id: event.type === "repo.removed" ? event.data.path : event.data.repo.path, group: "" },
  ],
  evolve: (_doc, event) => (event.type === "repo.removed" ? null : event.data.repo),
};
