import { Hono } from "hono";
import type { EngineEnv } from "../engine-env.js";
import type { NewEvent } from "../events/catalogue.js";
import { appendToStream } from "../log/append-to-stream.js";
import { consumerCheckpoints } from "../log/consumer-checkpoints.js";
import type { EventLog, InlineProjections } from "../log/event-log.js";
import type { Logger } from "../logger.js";
import { createUpstream } from "./upstream.js";
import { logWebhookSource } from "./webhook/log-webhook-source.js";

export interface UpstreamFeatureDeps {
  env: EngineEnv;
  log: EventLog<InlineProjections>;
  logger: Logger;
}

/**
 * The webhook and token refresh, wired to the log: its pages, its checkpoints, its appends. An
 * EngineFeature by shape: startEngine composes it without this folder importing the engine.
 */
export function upstreamFeature({ env, log, logger }: UpstreamFeatureDeps) {
  const upstream = createUpstream(env, {
    source: logWebhookSource(log),
    checkpoints: consumerCheckpoints(log.db),
    record: (event) => {
      const result = appendToStream(log, "upstream", [event as NewEvent]);
      if (!result.ok) logger.error({ error: result.error }, "could not record an upstream event");
    },
    logger,
  });
  return {
    name: "upstream",
    routes: [
      new Hono().get("/token-refresh/health", (c) => c.json(upstream.tokenRefresh.health())),
    ],
    status: () => upstream.status(),
    start: () => upstream.start(),
    stop: () => upstream.stop(),
  };
}
