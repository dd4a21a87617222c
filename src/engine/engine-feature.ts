import type { RouteGroup } from "../http/app.js";

/**
 * A part of the engine beside the chats (workspace, upstream, attachments): its routes, status
 * and lifetime. The features return this shape without importing it, so their folders do not
 * depend on the engine that composes them.
 */
export interface EngineFeature {
  /** Its section of /status. */
  name: string;
  routes: RouteGroup[];
  status(): unknown;
  /** Called once the engine serves. */
  start(): void;
  stop(): Promise<void>;
}
