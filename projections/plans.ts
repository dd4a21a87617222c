import type { PlanFile, PlanSource } from "../src/events/plan-events.js";
import type { Projection } from "./projection.js";

/** A plan's document id: its source and its name. */
export const planKey = (plan: { source: PlanSource; name: string }) =>
  `${plan.source}/${plan.name}`;

/** The last recorded state of each plan file: what a new listing is compared with. */
export const plansProjection: Projection<
  PlanFile,
  "plan.created" | "plan.updated" | "plan.removed"
> = {
  name: "plans",
  version: 1,
  cached: true,
  handles: ["plan.created", "plan.updated", "plan.removed"],
  documentsOf: (event) => [{ id: planKey(event.data), group: "" }],
  evolve: (_doc, event) => (event.type === "plan.removed" ? null : event.data),
};
