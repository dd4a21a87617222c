import { Hono } from "hono";
import { readHooksStatus } from "../../projections/hooks-status.js";
import type { StatePaths } from "../engine-env.js";
import { ApiError } from "../http/api-error.js";
import { parseParams, parseQuery } from "../http/parse-input.js";
import { PlanParams, ReposQuery } from "../http/schemas.js";
import type { EventLog } from "../log/event-log.js";
import { readLogTail } from "./hooks/read-log-tail.js";
import type { StartHooksRunner } from "./hooks/start-hooks-runner.js";
import { listPlans } from "./plans/list-plans.js";
import { readPlan } from "./plans/read-plan.js";
import { listRepos } from "./repos/list-repos.js";
import type { RepoReaders } from "./repos/repo-readers.js";
import type { WorkspaceRecorder } from "./workspace-recorder.js";

/** How much of the start hooks' output GET /hooks/log serves: its last 256 KiB. */
export const HOOKS_LOG_TAIL_BYTES = 256 * 1024;

export const MAX_FULL_DIFF_BYTES = 1024 * 1024;

export interface WorkspaceRouteDeps {
  log: EventLog;
  paths: StatePaths;
  readers: RepoReaders;
  recorder: WorkspaceRecorder;
  hooks: StartHooksRunner;
}

const planErrorStatus = { invalid_filename: 400, not_found: 404, too_large: 413 } as const;

/** Repos, plans and start hooks. Every scan also records what changed since the last one. */
export function workspaceRoutes({ log, paths, readers, recorder, hooks }: WorkspaceRouteDeps) {
  const folders = { claude: paths.claudePlans, replicas: paths.replicasPlans };
  const at = () => ({ position: log.commits.position, epoch: log.epoch });
  return new Hono()
    .get("/repos", async (c) => {
      const { includeDiffs } = parseQuery(c, ReposQuery);
      const scan = await recorder.repos(() =>
        listRepos(readers, paths.workspacesRoot, {
          includeDiffs: includeDiffs === "true",
          maxDiffBytes: MAX_FULL_DIFF_BYTES,
        }),
      );
      return c.json({ ...at(), root: paths.workspacesRoot, ...scan });
    })
    .get("/plans", async (c) => {
      const plans = await recorder.plans(() => listPlans(folders));
      return c.json({ ...at(), plans });
    })
    .get("/plans/:filename", async (c) => {
      const { filename } = parseParams(c, PlanParams);
      const read = await readPlan(folders, filename);
      if (!read.ok)
        throw new ApiError(planErrorStatus[read.error.code], read.error.code, read.error.message);
      return c.json({ ...at(), plan: read.plan });
    })
    .get("/hooks/status", (c) => c.json({ ...at(), ...readHooksStatus(log.readModels) }))
    .get("/hooks/log", async (c) => {
      const tail = await readLogTail(paths.startHooksLog, HOOKS_LOG_TAIL_BYTES);
      return c.json({ ...at(), path: paths.startHooksLog, ...tail });
    })
    .post("/hooks/run", (c) => {
      const result = hooks.force();
      if (!result.ok) throw new ApiError(409, result.code, result.message);
      return c.json({ ...at(), started: true }, 202);
    });
}
