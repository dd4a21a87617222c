import { planKey, plansProjection } from "../../projections/plans.js";
import { reposProjection } from "../../projections/repos.js";
import type { PlanFile } from "../events/plan-events.js";
import { appendToStream } from "../log/append-to-stream.js";
import type { EventLog } from "../log/event-log.js";
import type { Logger } from "../logger.js";
import { latestScan } from "./latest-scan.js";
import { decidePlanEvents } from "./plans/plan-changes.js";
import type { RepoScan } from "./repos/list-repos.js";
import { decideRepoEvents } from "./repos/repo-changes.js";

/**
 * Records what changed in the workspace since the last recorded state (the repos and plans read
 * models): deciding and appending happen without an await in between, so two scans finishing
 * together cannot both record the same change, and scans are recorded in the order they started
 * (`latestScan`).
 */
export function workspaceRecorder(log: EventLog, logger: Logger) {
  const append = (events: Parameters<typeof appendToStream>[2]) => {
    if (events.length === 0) return;
    const result = appendToStream(log, "workspace", events);
    if (!result.ok) logger.error({ error: result.error }, "could not record workspace changes");
  };
  let closed = false;
  return {
    /** Reads the repos with `read` and records what changed, unless a later scan was recorded. */
    repos: latestScan((scan: RepoScan) => {
      if (closed) return;
      const known = new Map(log.readModels.list(reposProjection).map((repo) => [repo.path, repo]));
      append(decideRepoEvents(known, scan));
    }),
    /** The same for the plan folders. */
    plans: latestScan((listing: readonly PlanFile[]) => {
      if (closed) return;
      const known = new Map(
        log.readModels.list(plansProjection).map((plan) => [planKey(plan), plan]),
      );
      append(decidePlanEvents(known, listing));
    }),
    /** The engine is stopping: scans still finishing are answered but record nothing. */
    close(): void {
      closed = true;
    },
  };
}
export type WorkspaceRecorder = ReturnType<typeof workspaceRecorder>;
