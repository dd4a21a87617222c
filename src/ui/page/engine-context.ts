import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { EngineClient } from "../../client/engine-client.js";
import { LiveLog } from "./live/live-log.js";

/** What every view shares: the typed client (it sends the secret header) and the live stream. */
export interface Engine {
  client: EngineClient;
  live: LiveLog;
}

export function connectEngine(secret: string): Engine {
  const client = new EngineClient({ baseUrl: location.origin, secret });
  return { client, live: new LiveLog(client) };
}

export const EngineContext = createContext<Engine | null>(null);

export function useEngine(): Engine {
  const engine = useContext(EngineContext);
  if (!engine) throw new Error("useEngine outside EngineContext");
  return engine;
}
