import type { PlanSource } from "../../events/plan-events.js";

/** Where plans are read from (`~/.claude/plans`, `~/.replicas/plans`). */
export type PlanFolders = Readonly<Record<PlanSource, string>>;

/** A name present in both folders is served from the first: Claude Code writes its own plans. */
export const PLAN_SOURCES: readonly PlanSource[] = ["claude", "replicas"];
