import type { EngineEvent } from "../src/events/catalogue.js";
import type { RepoSummary } from "../src/events/repo-events.js";
import type { Projection } from "./projection.js";

/** The last recorded summary of each repository, by path: what a new scan is compared with. */
export const reposProjection: Projection<RepoSummary> = {
  name: "repos",
  version: 1,
  cached: true,
  documentsOf(event: EngineEvent) {
    if (event.type === "repo.status.changed") return [{ id: event.data.repo.path, group: "" }];
    if (event.type === "repo.removed") return [{ id: event.data.path, group: "" }];
    return [];
  },
  evolve: (doc, event) =>
    event.type === "repo.status.changed"
      ? event.data.repo
      : event.type === "repo.removed"
        ? null
        : doc,
};
