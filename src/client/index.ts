/** The package's `replicas-engine/client` entry: the typed client of the engine's HTTP API. */
export { EngineApiError } from "./engine-api-error.js";
export { type ClientOptions, EngineClient, type Snapshot } from "./engine-client.js";
export type { EventStreamOptions, StreamItem } from "./event-stream.js";
