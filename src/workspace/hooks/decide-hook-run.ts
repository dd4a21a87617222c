import type { HooksStatus } from "../../../projections/hooks-status.js";

export interface HookRunDecision {
  run: boolean;
  reason: "first_run" | "new_boot" | "boot_unknown" | "forced" | "already_ran_this_boot";
  /** A run the log shows as still running: the engine stopped during it. Record it interrupted. */
  interruptedRunId: string | null;
}

/**
 * The boot-once rule, decided at engine start from the hooks read model: hooks run when the
 * workspace has booted since the last run (a different kernel boot id), not on a mere engine
 * restart. A run cut short by an engine stop is not re-run (hooks need not be idempotent); `force`
 * runs them again regardless. Without a boot id (not Linux) every engine start is a new boot.
 */
export function decideHookRun(
  status: HooksStatus,
  bootId: string | null,
  force: boolean,
): HookRunDecision {
  const interruptedRunId = status.state === "running" ? status.runId : null;
  const decide = (run: boolean, reason: HookRunDecision["reason"]) => ({
    run,
    reason,
    interruptedRunId,
  });
  if (force) return decide(true, "forced");
  if (status.state === "never_run") return decide(true, "first_run");
  if (bootId === null) return decide(true, "boot_unknown");
  if (status.bootId !== bootId) return decide(true, "new_boot");
  return decide(false, "already_ran_this_boot");
}
