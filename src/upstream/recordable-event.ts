import type * as v from "valibot";
import type { EventDefinition } from "../events/define-event.js";

/** An event an upstream worker hands to the engine to append: type and data of a definition. */
export type RecordableEvent<D extends EventDefinition> = D extends EventDefinition
  ? { type: D["type"]; data: v.InferOutput<D["data"]> }
  : never;
