import { Hono } from "hono";
import { type ChatStatus, chatsProjection } from "../../projections/chats.js";
import { engineStatusProjection } from "../../projections/engine-status.js";
import type { ChatRegistry } from "../chats/chat-registry.js";
import type { ProviderName } from "../events/chat-settings.js";
import type { EventLog } from "../log/event-log.js";
import type { ProviderProbe } from "../providers/provider.js";
import type { Subscribers } from "../sse/subscribers.js";
import { openApiDocument } from "./openapi.js";
import { SnapshotCache } from "./snapshot-cache.js";

export interface SystemRouteDeps {
  log: EventLog;
  registry: ChatRegistry;
  version: string;
  startedAt: number;
  providers: () => Record<ProviderName, ProviderProbe>;
  subscribers: Subscribers;
  ready: () => Promise<boolean>;
  /** Sections other features add to /status (workspace, upstream), by name. */
  statusSections: () => Record<string, unknown>;
}

/** Health, status, OpenAPI and the developers' view of the live actors. */
export function systemRoutes(deps: SystemRouteDeps) {
  const { log } = deps;
  const openapi = JSON.stringify(openApiDocument(deps.version));
  const cache = new SnapshotCache();
  const status = () => {
    const byStatus: Record<ChatStatus, number> = {
      idle: 0,
      running: 0,
      awaiting_approval: 0,
      interrupting: 0,
      deleted: 0,
    };
    for (const chat of log.readModels.list(chatsProjection)) byStatus[chat.status]++;
    return {
      position: log.commits.position,
      epoch: log.epoch,
      engine: {
        ...log.readModels.get(engineStatusProjection, "engine"),
        version: deps.version,
        pid: process.pid,
        uptimeMs: Date.now() - deps.startedAt,
      },
      chats: { total: byStatus.idle + byStatus.running + byStatus.interrupting, byStatus },
      log: { position: log.commits.position, epoch: log.epoch },
      streams: {
        subscribers: deps.subscribers.count,
        maxBufferedBytes: deps.subscribers.maxBufferedBytes,
        cachedPageBytes: deps.subscribers.cachedPageBytes,
      },
      projections: log.readModels.checkpoints.all(),
      providers: deps.providers(),
      ...deps.statusSections(),
    };
  };
  return {
    public: new Hono().get("/health", async (c) =>
      c.json({ status: (await deps.ready()) ? "ok" : "initializing", version: deps.version }),
    ),
    private: new Hono()
      .get("/status", (c) => {
        // Rebuilt when the log moves, and at most once a second otherwise (uptime, streams).
        const version = `${log.commits.position}/${Math.floor(Date.now() / 1000)}`;
        return c.body(cache.get("status", version, status), 200, {
          "content-type": "application/json",
        });
      })
      .get("/debug/actors", (c) =>
        c.json({ position: log.commits.position, actors: deps.registry.inspectActors() }),
      )
      .get("/openapi.json", (c) => c.body(openapi, 200, { "content-type": "application/json" })),
  };
}
