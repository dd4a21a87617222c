import { type EngineEnv, engineEnvMessage, parseEngineEnv, statePaths } from "../engine-env.js";
import type { ProviderName } from "../events/chat-settings.js";
import { createLogger, type Logger } from "../logger.js";
import type { AgentProvider } from "../providers/provider.js";
import { reapLeftAgents } from "../providers/reap-left-agents.js";
import { loadEngineSecret } from "./engine-secret.js";
import { lazyProviders } from "./lazy-providers.js";
import { prepareStateDir } from "./prepare-state-dir.js";
import { startEngine } from "./start-engine.js";

/**
 * Resolves on the first SIGTERM or SIGINT. The listeners stay registered: execa's signal-exit
 * re-raises a signal when it believes no one else handles it, which it would conclude (and kill
 * us mid-shutdown) if a one-shot listener had already removed itself; a second signal during
 * shutdown is ignored for the same reason.
 */
function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => resolve(signal));
  });
}

/** Loads the agents' adapters: called on their first use (see lazyProviders). */
export type ProviderFactory = (
  env: EngineEnv,
  logger: Logger,
) => Promise<Record<ProviderName, AgentProvider>>;

/**
 * The engine as a process: validate the environment (naming every problem at once), find the
 * secret, boot, serve until SIGTERM or SIGINT, then shut down in order.
 */
export async function runEngineProcess(makeProviders: ProviderFactory): Promise<number> {
  const parsed = parseEngineEnv(process.env);
  if (!parsed.ok) {
    process.stderr.write(`${engineEnvMessage(parsed.problems)}\n`);
    return 1;
  }
  const env = parsed.env;
  const paths = statePaths(env);
  const logger = createLogger();
  // Listen before announcing anything: a SIGTERM right after "listening" must stop us in order.
  const stopSignal = shutdownSignal();
  const removed = await prepareStateDir(paths);
  if (removed.length > 0) logger.info({ removed }, "removed temp files left by interrupted writes");
  reapLeftAgents(env, logger);
  const { secret, source } = await loadEngineSecret(env.REPLICAS_ENGINE_SECRET, paths.secretFile);
  // Loaded only when asked for: the inspector's WebSocket client is a large part of the code.
  const inspector = env.REPLICAS_INSPECT_URL
    ? (await import("./inspector.js")).connectInspector(env.REPLICAS_INSPECT_URL)
    : null;
  const started = await startEngine({
    env,
    paths,
    secret,
    logger,
    providers: lazyProviders(() => makeProviders(env, logger)),
    inspect: inspector?.inspect,
  });
  if (!started.ok) {
    inspector?.stop();
    process.stderr.write(`replicas-engine: ${started.message}\n`);
    return 1;
  }
  const { engine } = started;
  process.stdout.write(`replicas-engine listening on ${engine.url}\n`);
  if (source !== "environment") {
    // The secret itself is never printed (terminals and their logs keep it): the shell reads it.
    process.stdout.write(
      `${source === "generated" ? "generated" : "using"} a secret in ${paths.secretFile} (mode 0600); call the API with:\n  curl -H "X-Replicas-Engine-Secret: $(cat ${paths.secretFile})" ${engine.url}/status\n` +
        `open the web inspector with the link this prints (the secret rides in the #fragment, which no browser sends):\n  echo "${engine.url}/ui#secret=$(cat ${paths.secretFile})"\n`,
    );
  } else {
    process.stdout.write(`web inspector: ${engine.url}/ui (log in with REPLICAS_ENGINE_SECRET)\n`);
  }
  const signal = await stopSignal;
  logger.info({ signal }, "shutting down");
  await engine.stop("signal");
  inspector?.stop();
  return 0;
}
