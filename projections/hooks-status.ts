import type { HooksEvent } from "../src/events/hooks-events.js";
import {
  foldHooksStatus,
  type HooksStatus,
  initialHooksStatus,
} from "../src/workspace/hooks/hooks-status.js";
import type { Projection } from "./projection.js";

/** GET /hooks/status: the latest start-hooks run, hook by hook. */
export const hooksStatusProjection: Projection<HooksStatus> = {
  name: "hooks-status",
  version: 1,
  cached: true,
  documentsOf: (event) => (event.type.startsWith("hooks.") ? [{ id: "hooks", group: "" }] : []),
  evolve: (doc, event) => foldHooksStatus(doc ?? initialHooksStatus, event as HooksEvent),
};
