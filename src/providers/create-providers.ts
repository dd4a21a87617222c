import type { EngineEnv } from "../engine-env.js";
import type { ProviderName } from "../events/chat-settings.js";
import type { Logger } from "../logger.js";
import { ClaudeProvider } from "./claude/claude-provider.js";
import { CodexProvider } from "./codex/codex-provider.js";
import type { AgentProvider } from "./provider.js";
import { processGroupsFile } from "./reap-left-agents.js";
import { ProcessGroups } from "./toolkit/process-groups.js";

const overrideVariable: Record<ProviderName, string> = {
  claude: "REPLICAS_CLAUDE_BIN",
  codex: "REPLICAS_CODEX_BIN",
};

/**
 * Logs which agents were found (path and version) and, for a missing one, how to fix it, as
 * the adapters load (the first /status or turn): without it a missing CLI said nothing until a
 * turn failed.
 */
export async function reportAgents(
  providers: Record<ProviderName, AgentProvider>,
  logger: Pick<Logger, "info" | "warn">,
): Promise<void> {
  for (const [name, provider] of Object.entries(providers) as [ProviderName, AgentProvider][]) {
    const probe = await provider.probe().catch(() => null);
    if (probe?.found) {
      logger.info({ agent: name, path: probe.path, version: probe.version }, "agent found");
    } else {
      logger.warn(
        { agent: name, path: probe?.path ?? null },
        `agent ${name} not found: its turns will fail with provider_not_found. Install it on PATH (or in this package's node_modules/.bin), or set ${overrideVariable[name]} to its path`,
      );
    }
  }
}

/**
 * The real agents: Claude Code and Codex, binaries from the environment, PATH or the package's
 * own node_modules/.bin. Their process groups are recorded in `processGroupsFile`, whose
 * leftovers the boot reaped before any turn could start (reapLeftAgents).
 */
export function createProviders(
  env: EngineEnv,
  logger: Logger,
): Record<ProviderName, AgentProvider> {
  const groups = new ProcessGroups(processGroupsFile(env));
  const providers = {
    claude: new ClaudeProvider({
      binary: env.REPLICAS_CLAUDE_BIN,
      idleMs: env.REPLICAS_CLAUDE_IDLE_MS,
      spare: env.REPLICAS_CLAUDE_SPARE,
      // An approved plan is carried out in the engine's default mode (plan itself would loop).
      afterPlanMode:
        env.REPLICAS_CLAUDE_PERMISSION_MODE === "plan"
          ? "default"
          : env.REPLICAS_CLAUDE_PERMISSION_MODE,
      groups,
      logger,
    }),
    codex: new CodexProvider({ binary: env.REPLICAS_CODEX_BIN, groups, logger }),
  };
  void reportAgents(providers, logger);
  return providers;
}
