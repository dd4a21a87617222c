import type { EngineEvent } from "../src/events/catalogue.js";
import type { Projection } from "./projection.js";

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

export const engineStatusProjection: Projection<EngineStatusDoc> = {
  name: "engine-status",
  version: 1,
  cached: true,
  documentsOf: (event) => (event.type.startsWith("engine.") ? [{ id: "engine", group: "" }] : []),
  evolve,
};
