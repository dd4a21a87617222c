import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { projections } from "../../projections/all.js";
import { attachmentsFeature } from "../attachments/attachments-feature.js";
import { BlobStore } from "../attachments/blob-store.js";
import { resolveAttachments } from "../attachments/resolve-attachments.js";
import type { InspectHook } from "../chats/chat-registry.js";
import { ChatRegistry } from "../chats/chat-registry.js";
import { recoverChats } from "../chats/recover-chats.js";
import type { EngineEnv, StatePaths } from "../engine-env.js";
import type { ProviderName } from "../events/chat-settings.js";
import { createApp } from "../http/app.js";
import { attachmentRoutes } from "../http/attachment-routes.js";
import { chatRoutes } from "../http/chat-routes.js";
import { eventsRoute } from "../http/events-route.js";
import { systemRoutes } from "../http/system-routes.js";
import { appendToStream } from "../log/append-to-stream.js";
import type { Logger } from "../logger.js";
import type { AgentProvider, ProviderProbe } from "../providers/provider.js";
import { catchUpReadModels } from "../read-models/catch-up.js";
import { ExportFiles } from "../read-models/export-files.js";
import { openEngineLog } from "../read-models/open-engine-log.js";
import { CommitWaiters } from "../sse/commit-waiters.js";
import type { StreamSettings } from "../sse/event-stream.js";
import { PageCache } from "../sse/page-cache.js";
import { Subscribers } from "../sse/subscribers.js";
import { upstreamFeature } from "../upstream/upstream-feature.js";
import { createReadinessCheck } from "../workspace/readiness.js";
import { workspaceFeature } from "../workspace/workspace-feature.js";
import { afterFirstAnswer } from "./after-first-answer.js";
import type { EngineFeature } from "./engine-feature.js";
import { engineVersion } from "./engine-version.js";

export interface EngineOptions {
  env: EngineEnv;
  paths: StatePaths;
  secret: string;
  logger: Logger;
  providers: Record<ProviderName, AgentProvider>;
  /** Feeds XState's inspection events to a developer tool (off unless asked for). */
  inspect?: InspectHook;
  stream?: Partial<StreamSettings>;
}

export interface RunningEngine {
  url: string;
  port: number;
  /** Every route the app serves, as METHOD /path (the OpenAPI test holds the table to it). */
  routes: string[];
  /** Graceful stop; `signal` when a SIGTERM/SIGINT asked for it (recorded in engine.stopped). */
  stop(reason?: "signal" | "shutdown"): Promise<void>;
}

/**
 * How long an idle kept-alive connection stays open. Node's default (5 s) is shorter than many
 * clients keep a socket for reuse, and when a busy event loop lets that timer expire just as a
 * client sends its next request on the socket, the request is reset (ECONNRESET / "other side
 * closed"). Well above the idle times of common clients and proxies (undici 4 s, Node's agent
 * 5 s, nginx and load balancers 60-75 s, Go 90 s), the server is never the side that closes
 * first. See docs/api.md, "Connections".
 */
export const KEEP_ALIVE_TIMEOUT_MS = 120_000;

/** When no request has come by then, the deferred start runs anyway (see afterFirstAnswer). */
export const DEFERRED_START_FALLBACK_MS = 250;

export type StartResult = { ok: true; engine: RunningEngine } | { ok: false; message: string };

/**
 * Boot: open and migrate the log, bring the read models up to date from their checkpoints,
 * close turns a previous run left open, start the chat actors, then serve; the features start
 * once the first answer is out, and the agents are probed when /status first asks.
 */
export async function startEngine(options: EngineOptions): Promise<StartResult> {
  const { env, paths, logger } = options;
  // A chat without a cwd runs in the workspaces root: on a fresh machine it must exist already.
  await mkdir(paths.workspacesRoot, { recursive: true }).catch((error: Error) =>
    logger.warn(
      { err: error, root: paths.workspacesRoot },
      "cannot create the workspaces root (set REPLICAS_WORKSPACES_ROOT): chats must name a cwd",
    ),
  );
  const opened = openEngineLog({ path: paths.database, projections });
  if (!opened.ok) return { ok: false, message: opened.message };
  const log = opened.log;
  const caughtUp = catchUpReadModels(log);
  if (caughtUp.rebuilt.length > 0)
    logger.info(caughtUp, "rebuilt read models whose projection changed");
  const recovery = recoverChats(log);
  if (recovery.interruptedTurns.length > 0)
    logger.info(recovery, "closed turns left open by the previous run");

  const registry = new ChatRegistry({
    log,
    providers: options.providers,
    timing: {
      watchdogMs: env.REPLICAS_TURN_WATCHDOG_MS,
      graceMs: env.REPLICAS_INTERRUPT_GRACE_MS,
      approvalTimeoutMs: env.REPLICAS_APPROVAL_TIMEOUT_MS,
    },
    defaults: {
      claude: { permissionMode: env.REPLICAS_CLAUDE_PERMISSION_MODE },
      codex: {
        sandbox: env.REPLICAS_CODEX_SANDBOX,
        approvalPolicy: env.REPLICAS_CODEX_APPROVAL_POLICY,
      },
    },
    logger,
    inspect: options.inspect,
  });
  registry.startAll();
  const exportFiles = new ExportFiles(log, paths, logger);

  // Probed when /status first asks (the probe loads the adapters and execa), then kept.
  let probing: Promise<Record<ProviderName, ProviderProbe>> | null = null;
  const probeProviders = () => {
    probing ??= Promise.all(
      (Object.entries(options.providers) as [ProviderName, AgentProvider][]).map(
        async ([name, provider]) =>
          [
            name,
            await provider
              .probe()
              .catch((): ProviderProbe => ({ found: false, path: null, version: null })),
          ] as const,
      ),
    ).then((probes) => Object.fromEntries(probes) as Record<ProviderName, ProviderProbe>);
    return probing;
  };

  const context = { env, paths, log, registry, logger };
  const blobs = new BlobStore(paths.blobs);
  const features: EngineFeature[] = [
    workspaceFeature(context),
    upstreamFeature(context),
    attachmentsFeature({ env, log, logger, store: blobs }),
  ];
  const pages = new PageCache(log);
  const subscribers = new Subscribers(pages);
  const system = systemRoutes({
    readSide: log,
    projectionCheckpoints: () => log.readModels.checkpoints.all(),
    registry,
    version: engineVersion,
    startedAt: Date.now(),
    providers: probeProviders,
    subscribers,
    ready: createReadinessCheck(env.REPLICAS_READINESS_FILE),
    statusSections: () => Object.fromEntries(features.map((f) => [f.name, f.status()])),
  });
  const app = createApp({
    secret: options.secret,
    logger,
    publicRoutes: [system.public],
    uploadRoutes: [attachmentRoutes(blobs)],
    routes: [
      system.private,
      chatRoutes({
        readSide: log,
        registry,
        attachments: (cwd, refs) => resolveAttachments(blobs, cwd, refs),
        defaultCwd: paths.workspacesRoot,
      }),
      eventsRoute({
        log,
        shared: { waiters: new CommitWaiters(log.commits), pages },
        subscribers,
        settings: { heartbeatMs: 15_000, retryMs: 2_000, pageSize: 256, ...options.stream },
        logger,
      }),
      ...features.flatMap((f) => f.routes),
    ],
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve(
      { fetch: app.fetch, port: env.REPLICAS_ENGINE_PORT, hostname: env.REPLICAS_ENGINE_HOST },
      () => resolve(s),
    );
    s.once("error", reject);
  }).catch((error: Error) => error);
  if (server instanceof Error) {
    await registry.shutdown();
    log.close();
    return {
      ok: false,
      message: `cannot listen on ${env.REPLICAS_ENGINE_HOST}:${env.REPLICAS_ENGINE_PORT}: ${server.message}`,
    };
  }
  if ("keepAliveTimeout" in server) server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  const { port } = server.address() as AddressInfo;
  appendToStream(log, "engine", [
    {
      type: "engine.started",
      data: { version: engineVersion, pid: process.pid, host: env.REPLICAS_ENGINE_HOST, port },
    },
  ]);
  const url = `http://${env.REPLICAS_ENGINE_HOST.includes(":") ? `[${env.REPLICAS_ENGINE_HOST}]` : env.REPLICAS_ENGINE_HOST}:${port}`;
  logger.info({ url, position: log.commits.position, epoch: log.epoch }, "engine serving");
  // What no request needs at once (the start hooks, the webhook, the token refresh, the
  // attachments sweep) waits for the first answer.
  const deferred = afterFirstAnswer(
    server,
    () => {
      for (const feature of features) feature.start();
    },
    DEFERRED_START_FALLBACK_MS,
  );

  let stopping: Promise<void> | null = null;
  const stop = (reason: "signal" | "shutdown" = "shutdown") => {
    stopping ??= (async () => {
      deferred.cancel();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      subscribers.endAll();
      await Promise.all([registry.shutdown(), ...features.map((f) => f.stop())]);
      appendToStream(log, "engine", [{ type: "engine.stopped", data: { reason } }]);
      await exportFiles.stop();
      if ("closeAllConnections" in server) server.closeAllConnections();
      await closed;
      log.close();
      logger.info("engine stopped");
    })();
    return stopping;
  };
  const routes = [
    ...new Set(
      app.routes
        .filter((r) => r.method !== "ALL" && !r.path.endsWith("*"))
        .map((r) => `${r.method} ${r.path}`),
    ),
  ];
  return { ok: true, engine: { url, port, routes, stop } };
}
