import { Hono } from "hono";
import { liveChats, readChatCounts } from "../../projections/chats.js";
import { readEngineStatus } from "../../projections/engine-status.js";
import type { ChatRegistry } from "../chats/chat-registry.js";
import type { ProviderName } from "../events/chat-settings.js";
import type { ProviderProbe } from "../providers/provider.js";
import type { ProjectionCheckpoint } from "../read-models/projection-checkpoints.js";
import { type ReadSide, snapshotAt } from "../read-models/read-side.js";
import type { Subscribers } from "../sse/subscribers.js";
import { SnapshotCache } from "./snapshot-cache.js";

export interface SystemRouteDeps {
  readSide: ReadSide;
  /** Where each inline projection stands. */
  projectionCheckpoints: () => ProjectionCheckpoint[];
  registry: ChatRegistry;
  version: string;
  startedAt: number;
  /** The agents' probes: run when first asked for, then the same answer. */
  providers: () => Promise<Record<ProviderName, ProviderProbe>>;
  subscribers: Subscribers;
  ready: () => Promise<boolean>;
  /** Sections other features add to /status (workspace, upstream), by name. */
  statusSections: () => Record<string, unknown>;
}

/** Health, status, OpenAPI and the developers' view of the live actors. */
export function systemRoutes(deps: SystemRouteDeps) {
  const { readSide } = deps;
  // Built on the first request: the JSON Schema converter is not needed to boot.
  let openapi: Promise<string> | undefined;
  const cache = new SnapshotCache();
  const status = (providers: Record<ProviderName, ProviderProbe>) => {
    const at = snapshotAt(readSide);
    const byStatus = readChatCounts(readSide.readModels);
    return {
      ...at,
      engine: {
        ...readEngineStatus(readSide.readModels),
        version: deps.version,
        pid: process.pid,
        uptimeMs: Date.now() - deps.startedAt,
      },
      chats: { total: liveChats(byStatus), byStatus },
      log: at,
      streams: {
        subscribers: deps.subscribers.count,
        maxBufferedBytes: deps.subscribers.maxBufferedBytes,
        cachedPageBytes: deps.subscribers.cachedPageBytes,
      },
      projections: deps.projectionCheckpoints(),
      providers,
      ...deps.statusSections(),
    };
  };
  return {
    public: new Hono().get("/health", async (c) =>
      c.json({ status: (await deps.ready()) ? "ok" : "initializing", version: deps.version }),
    ),
    private: new Hono()
      .get("/status", async (c) => {
        // The first one waits for the agents' probes (their `--version`); later ones have them.
        const providers = await deps.providers();
        // Rebuilt when the log moves, and at most once a second otherwise (uptime, streams).
        const version = `${readSide.commits.position}/${Math.floor(Date.now() / 1000)}`;
        return c.body(
          cache.get("status", version, () => status(providers)),
          200,
          {
            "content-type": "application/json",
          },
        );
      })
      .get("/debug/actors", (c) =>
        c.json({ position: readSide.commits.position, actors: deps.registry.inspectActors() }),
      )
      .get("/openapi.json", async (c) => {
        openapi ??= import("./openapi.js").then((m) =>
          JSON.stringify(m.openApiDocument(deps.version)),
        );
        return c.body(await openapi, 200, { "content-type": "application/json" });
      }),
  };
}
