import type { EngineEvent } from "../src/events/catalogue.js";
import type { Projection } from "./projection.js";
import type { ReadModelReader } from "./read-model-reader.js";

export interface EngineStatusDoc {
  state: "running" | "stopped";
  version: string;
  pid: number;
  startedAt: string;
  stoppedAt: string | null;
  boots: number;
  lastRecovery: { at: string; interruptedTurns: number; queuedMessages: number } | null;
}

function evolve(doc: EngineStatusDoc | null, event: EngineEvent): EngineStatusDoc | null {
  switch (event.type) {
    case "engine.started":
      return {
        state: "running",
        version: event.data.version,
        pid: event.data.pid,
        startedAt: event.recordedAt,
        stoppedAt: null,
        boots: (doc?.boots ?? 0) + 1,
        lastRecovery: doc?.lastRecovery ?? null,
      };
    case "engine.recovered":
      return (
        doc && {
          ...doc,
          lastRecovery: {
            at: event.recordedAt,
            interruptedTurns: event.data.interruptedTurns.length,
            queuedMessages: event.data.queuedMessages,
          },
        }
      );
    case "engine.stopped":
      return doc && { ...doc, state: "stopped", stoppedAt: event.recordedAt };
    default:
      return doc;
  }
}

/** The one document: the engine's own state. */
const engineDocId = "engine";

export const engineStatusProjection: Projection<
  EngineStatusDoc,
  "engine.started" | "engine.recovered" | "engine.stopped"
> = {
  name: "engine-status",
  version: 1,
  cached: true,
  handles: ["engine.started", "engine.recovered", "engine.stopped"],
  documentsOf: () => [{ id: engineDocId, group: "" }],
  evolve,
};

/** The engine's own state; undefined before its first start was recorded. */
export const readEngineStatus = (reader: ReadModelReader): EngineStatusDoc | undefined =>
  reader.get(engineStatusProjection, engineDocId);
