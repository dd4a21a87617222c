import { planKey } from "../../../projections/plans.js";
import type { PlanFile, PlanSource } from "../../events/plan-events.js";

export type PlanEvent =
  | { type: "plan.created"; data: PlanFile }
  | { type: "plan.updated"; data: PlanFile }
  | { type: "plan.removed"; data: { name: string; source: PlanSource } };

/** The last recorded state of each plan, keyed by `planKey`. */
export type KnownPlans = ReadonlyMap<string, PlanFile>;

/**
 * Which events a new listing should record: a new plan is created, a plan whose content hash
 * changed is updated (a touched file with the same content is not), a vanished one removed.
 */
export function decidePlanEvents(known: KnownPlans, listing: readonly PlanFile[]): PlanEvent[] {
  const events: PlanEvent[] = [];
  const seen = new Set<string>();
  for (const plan of listing) {
    const key = planKey(plan);
    seen.add(key);
    const before = known.get(key);
    if (!before) events.push({ type: "plan.created", data: plan });
    else if (before.sha256 !== plan.sha256) events.push({ type: "plan.updated", data: plan });
  }
  for (const [key, plan] of known) {
    if (!seen.has(key))
      events.push({ type: "plan.removed", data: { name: plan.name, source: plan.source } });
  }
  return events;
}
