import type { EngineEnv } from "../engine-env.js";
import type { BackoffPolicy } from "./backoff.js";
import type { ControlPlane } from "./control-plane.js";
import type { CredentialsEvent } from "./credentials/credential-manager.js";
import { createTokenRefresh, type TokenRefresh } from "./credentials/token-refresh.js";
import { type Scheduler, unrefScheduler } from "./scheduler.js";
import type { UpstreamLogger } from "./upstream-logger.js";
import { type UpstreamMode, upstreamMode } from "./upstream-mode.js";
import {
  createWebhookConsumer,
  type WebhookConsumer,
  type WebhookEvent,
  type WebhookStatus,
} from "./webhook/webhook-consumer.js";
import type { CheckpointStore, WebhookSource } from "./webhook/webhook-source.js";

export interface UpstreamDeps {
  source: WebhookSource;
  checkpoints: CheckpointStore;
  /** Appends a webhook.* or credentials.* event to the log. */
  record: (event: WebhookEvent | CredentialsEvent) => void;
  logger: UpstreamLogger;
  scheduler?: Scheduler;
  random?: () => number;
}

/** The `upstream` part of `/status`. */
export type UpstreamStatus = UpstreamMode & { webhook: WebhookStatus | null };

export interface Upstream {
  readonly tokenRefresh: TokenRefresh;
  start(): void;
  status(): UpstreamStatus;
  stop(): Promise<void>;
}

/** The control plane of a connected engine, null when it runs standalone. */
export function controlPlaneFromEnv(env: EngineEnv): ControlPlane | null {
  const mode = upstreamMode(env);
  if (mode.mode === "standalone" || !env.REPLICAS_ENGINE_SECRET) return null;
  return {
    baseUrl: mode.monolithUrl,
    secret: env.REPLICAS_ENGINE_SECRET,
    workspaceId: mode.workspaceId,
    timeoutMs: env.REPLICAS_UPSTREAM_TIMEOUT_MS,
  };
}

/**
 * Everything the engine does towards the control plane, built from the environment: the
 * webhook consumer and the token refresh managers (none of them when standalone).
 */
export function createUpstream(env: EngineEnv, deps: UpstreamDeps): Upstream {
  const controlPlane = controlPlaneFromEnv(env);
  const scheduler = deps.scheduler ?? unrefScheduler;
  const random = deps.random ?? Math.random;
  const retry: BackoffPolicy = {
    baseMs: env.REPLICAS_UPSTREAM_RETRY_BASE_MS,
    maxMs: env.REPLICAS_UPSTREAM_RETRY_MAX_MS,
  };
  const webhook: WebhookConsumer | null = controlPlane
    ? createWebhookConsumer({
        controlPlane,
        source: deps.source,
        checkpoints: deps.checkpoints,
        record: deps.record,
        logger: deps.logger,
        limits: {
          maxEvents: env.REPLICAS_WEBHOOK_BATCH_EVENTS,
          maxBytes: env.REPLICAS_WEBHOOK_BATCH_BYTES,
        },
        retry,
        scheduler,
        random,
      })
    : null;
  const tokenRefresh = createTokenRefresh(env, {
    controlPlane,
    retry,
    scheduler,
    random,
    record: deps.record,
    logger: deps.logger,
  });
  return {
    tokenRefresh,
    start() {
      webhook?.start();
      tokenRefresh.start();
    },
    status() {
      return { ...upstreamMode(env), webhook: webhook?.status() ?? null };
    },
    async stop() {
      await Promise.all([webhook?.stop(), tokenRefresh.stop()]);
    },
  };
}
