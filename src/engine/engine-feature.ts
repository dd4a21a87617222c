import type { ChatRegistry } from "../chats/chat-registry.js";
import type { EngineEnv, StatePaths } from "../engine-env.js";
import type { RouteGroup } from "../http/app.js";
import type { EventLog } from "../log/event-log.js";
import type { Logger } from "../logger.js";

/** What a feature composed around the core needs from it. */
export interface FeatureContext {
  env: EngineEnv;
  paths: StatePaths;
  log: EventLog;
  registry: ChatRegistry;
  logger: Logger;
}

/** A part of the engine beside the chats (workspace, upstream): its routes, status and lifetime. */
export interface EngineFeature {
  /** Its section of /status. */
  name: string;
  routes: RouteGroup[];
  /** Routes that read their body under their own limit (uploads). */
  uploadRoutes?: RouteGroup[];
  status(): unknown;
  /** Called once the engine serves. */
  start(): void;
  stop(): Promise<void>;
}
