import type { EngineEvent } from "../src/events/catalogue.js";
import type { PlanFile } from "../src/events/plan-events.js";
import { planKey } from "../src/workspace/plans/plan-changes.js";
import type { Projection } from "./projection.js";

/** The last recorded state of each plan file: what a new listing is compared with. */
export const plansProjection: Projection<PlanFile> = {
  name: "plans",
  version: 1,
  cached: true,
  documentsOf: (event: EngineEvent) =>
    event.type === "plan.created" || event.type === "plan.updated" || event.type === "plan.removed"
      ? [{ id: planKey(event.data), group: "" }]
      : [],
  evolve: (doc, event) =>
    event.type === "plan.created" || event.type === "plan.updated"
      ? event.data
      : event.type === "plan.removed"
        ? null
        : doc,
};
