import { readHooksStatus } from "../../projections/hooks-status.js";
import { plansProjection } from "../../projections/plans.js";
import { reposProjection } from "../../projections/repos.js";
import type { ChatRegistry } from "../chats/chat-registry.js";
import type { StatePaths } from "../engine-env.js";
import type { EventLog } from "../log/event-log.js";
import type { Logger } from "../logger.js";
import { StartHooksRunner } from "./hooks/start-hooks-runner.js";
import { listPlans } from "./plans/list-plans.js";
import { listRepos } from "./repos/list-repos.js";
import { createRepoReaders } from "./repos/repo-readers.js";
import { workspaceRecorder } from "./workspace-recorder.js";
import { workspaceRoutes } from "./workspace-routes.js";

/** A burst of turns ending together costs one rescan. */
const RESCAN_DELAY_MS = 500;

export interface WorkspaceFeatureDeps {
  paths: StatePaths;
  log: EventLog;
  registry: Pick<ChatRegistry, "onTurnEnded">;
  logger: Logger;
}

/**
 * The workspace around the chats: repos and plans (scanned on request and after every turn,
 * their changes recorded), and the start hooks, run once per workspace boot. An EngineFeature
 * by shape: startEngine composes it without this folder importing the engine.
 */
export function workspaceFeature({ paths, log, registry, logger }: WorkspaceFeatureDeps) {
  const readers = createRepoReaders();
  const recorder = workspaceRecorder(log, logger);
  const hooks = new StartHooksRunner({
    log,
    logger,
    workspacesRoot: paths.workspacesRoot,
    logFile: paths.startHooksLog,
  });
  const folders = { claude: paths.claudePlans, replicas: paths.replicasPlans };

  let timer: NodeJS.Timeout | null = null;
  let scanning: Promise<void> = Promise.resolve();
  let stopped = false;
  const rescan = async () => {
    await Promise.all([
      recorder.repos(() =>
        listRepos(readers, paths.workspacesRoot, { includeDiffs: false, maxDiffBytes: 0 }),
      ),
      recorder.plans(() => listPlans(folders)),
    ]);
  };
  const unsubscribe = registry.onTurnEnded(() => {
    if (timer || stopped) return;
    timer = setTimeout(() => {
      timer = null;
      scanning = scanning
        .then(rescan)
        .catch((error: unknown) => logger.warn({ err: error }, "workspace rescan failed"));
    }, RESCAN_DELAY_MS);
  });

  return {
    name: "workspace",
    routes: [workspaceRoutes({ log, paths, readers, recorder, hooks })],
    status: () => {
      const repos = log.readModels.list(reposProjection);
      const hooksStatus = readHooksStatus(log.readModels);
      return {
        root: paths.workspacesRoot,
        repos: {
          count: repos.length,
          dirty: repos.filter(
            (r) => r.dirty.staged + r.dirty.unstaged + r.dirty.untracked + r.dirty.conflicted > 0,
          ).length,
        },
        plans: log.readModels.list(plansProjection).length,
        hooks: {
          state: hooksStatus.state,
          runId: hooksStatus.runId,
          bootId: hooksStatus.bootId,
        },
      };
    },
    start: () => {
      hooks
        .boot()
        .catch((error: unknown) => logger.error({ err: error }, "start hooks could not begin"));
    },
    async stop() {
      stopped = true;
      recorder.close();
      unsubscribe();
      if (timer) clearTimeout(timer);
      await Promise.all([hooks.stop(), scanning]);
    },
  };
}
