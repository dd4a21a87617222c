import { type EngineEnv, statePaths } from "../../engine-env.js";
import type { BackoffPolicy } from "../backoff.js";
import type { ControlPlane } from "../control-plane.js";
import type { Scheduler } from "../scheduler.js";
import type { UpstreamLogger } from "../upstream-logger.js";
import { claudeCredential } from "./claude-credential.js";
import { codexCredential } from "./codex-credential.js";
import type { CredentialKind, CredentialKindName } from "./credential-kind.js";
import {
  type CredentialHealth,
  type CredentialManager,
  type CredentialManagerOptions,
  type CredentialsEvent,
  createCredentialManager,
  disabledCredentialHealth,
} from "./credential-manager.js";
import { githubCredential } from "./github-credential.js";

/** Below this, a credential is not refreshed again after a success, whatever its expiry. */
const minRefreshGapMs = 1_000;

export interface TokenRefreshDeps {
  /** Null in standalone mode: every manager is reported disabled. */
  controlPlane: ControlPlane | null;
  retry: BackoffPolicy;
  scheduler: Scheduler;
  random: () => number;
  record: (event: CredentialsEvent) => void;
  logger: UpstreamLogger;
}

/** The body of `GET /token-refresh/health`. */
export interface TokenRefreshHealth {
  credentials: CredentialHealth[];
}

export interface TokenRefresh {
  start(): void;
  health(): TokenRefreshHealth;
  stop(): Promise<void>;
}

/** The three credential managers, enabled per REPLICAS_TOKEN_REFRESH_KINDS when connected. */
export function createTokenRefresh(env: EngineEnv, deps: TokenRefreshDeps): TokenRefresh {
  const paths = statePaths(env);
  const kinds = [
    managed(githubCredential, paths.gitCredentials),
    managed(claudeCredential, paths.claudeCredentials),
    managed(codexCredential, paths.codexAuth),
  ];
  const enabled = new Set<CredentialKindName>(
    deps.controlPlane ? env.REPLICAS_TOKEN_REFRESH_KINDS : [],
  );
  const managers = new Map<CredentialKindName, CredentialManager>();
  for (const { name, create } of kinds) {
    if (!deps.controlPlane || !enabled.has(name)) continue;
    managers.set(
      name,
      create({
        controlPlane: deps.controlPlane,
        timing: {
          leadMs: env.REPLICAS_TOKEN_REFRESH_LEAD_MS,
          fallbackMs: env.REPLICAS_TOKEN_REFRESH_FALLBACK_MS,
          minGapMs: minRefreshGapMs,
        },
        retry: deps.retry,
        scheduler: deps.scheduler,
        random: deps.random,
        record: deps.record,
        logger: deps.logger,
      }),
    );
  }
  return {
    start() {
      for (const manager of managers.values()) manager.start();
    },
    health() {
      return {
        credentials: kinds.map(
          ({ name, path }) => managers.get(name)?.health() ?? disabledCredentialHealth(name, path),
        ),
      };
    },
    async stop() {
      await Promise.all([...managers.values()].map((manager) => manager.stop()));
    },
  };
}

/** A kind with its file, erasing the kind's answer type so the three fit in one list. */
function managed<T>(kind: CredentialKind<T>, path: string) {
  return {
    name: kind.name,
    path,
    create: (options: Omit<CredentialManagerOptions, "path">) =>
      createCredentialManager(kind, { ...options, path }),
  };
}
