import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { type EngineEnv, statePaths } from "../engine-env.js";
import type { Logger } from "../logger.js";
import { reapRecordedGroups } from "./toolkit/process-groups.js";

// What a boot does about the agents without their adapters and execa, which load only when a
// turn or a probe (the first /status) needs them (see lazyProviders).

/** The file beside the database that lists the agents' running process groups. */
export function processGroupsFile(env: EngineEnv): string {
  return join(dirname(statePaths(env).database), "agent-process-groups.json");
}

/**
 * Kills the agent process groups a SIGKILLed previous run left behind (see ProcessGroups).
 * Before any chat actor starts: the adapters, once loaded, rewrite that file with their own.
 */
export function reapLeftAgents(env: EngineEnv, logger: Pick<Logger, "warn">): void {
  const file = processGroupsFile(env);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const reaped = reapRecordedGroups(file);
  if (reaped.length > 0) {
    logger.warn({ processGroups: reaped }, "killed agent processes left by the previous run");
  }
}
