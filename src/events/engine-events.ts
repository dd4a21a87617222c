import * as v from "valibot";
import { defineEvent } from "./define-event.js";

export const engineStarted = defineEvent(
  "engine.started",
  v.object({ version: v.string(), pid: v.number(), host: v.string(), port: v.number() }),
);

/** Boot found turns left open by a stop or crash and closed them. */
export const engineRecovered = defineEvent(
  "engine.recovered",
  v.object({
    interruptedTurns: v.array(v.object({ chatId: v.string(), turnId: v.string() })),
    queuedMessages: v.number(),
  }),
);

export const engineStopped = defineEvent(
  "engine.stopped",
  v.object({ reason: v.picklist(["signal", "shutdown"]) }),
);

export const engineEvents = [engineStarted, engineRecovered, engineStopped] as const;
