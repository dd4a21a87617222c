import { createWebSocketInspector } from "@statelyai/inspect";
import type { InspectHook } from "../chats/chat-registry.js";

export interface Inspector {
  inspect: InspectHook;
  stop(): void;
}

/**
 * Sends every chat actor's inspection events (actors, events, snapshots) to a Stately inspector
 * relay. Off by default: even a no-op hook costs about a third of XState's event rate. The
 * relay may be unreachable; shutdown never waits for it.
 */
export function connectInspector(url: string): Inspector {
  const inspector = createWebSocketInspector({ url });
  return { inspect: inspector.inspect, stop: () => inspector.stop() };
}
