import * as v from "valibot";
import { defineEvent } from "./define-event.js";

/** Which plans folder a plan lives in: ~/.claude/plans or ~/.replicas/plans. */
export const PlanSource = v.picklist(["claude", "replicas"]);
export type PlanSource = v.InferOutput<typeof PlanSource>;

export const PlanFile = v.object({
  name: v.string(),
  source: PlanSource,
  size: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** ISO 8601 modification time. */
  mtime: v.string(),
  sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
});
export type PlanFile = v.InferOutput<typeof PlanFile>;

export const planCreated = defineEvent("plan.created", PlanFile);

/** The plan's content changed (a new mtime with the same content is not a change). */
export const planUpdated = defineEvent("plan.updated", PlanFile);

export const planRemoved = defineEvent(
  "plan.removed",
  v.object({ name: v.string(), source: PlanSource }),
);

export const planEvents = [planCreated, planUpdated, planRemoved] as const;
