import type { EngineEnv } from "../engine-env.js";

/** What `/status` says about the control plane link. */
export type UpstreamMode =
  | { mode: "standalone"; reason: string }
  | { mode: "connected"; monolithUrl: string; workspaceId: string };

export function upstreamMode(env: EngineEnv): UpstreamMode {
  if (!env.MONOLITH_URL || !env.WORKSPACE_ID) {
    return { mode: "standalone", reason: "MONOLITH_URL is not set: no webhook, no token refresh" };
  }
  return { mode: "connected", monolithUrl: env.MONOLITH_URL, workspaceId: env.WORKSPACE_ID };
}
