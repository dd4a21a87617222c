import type { EngineEnv } from "../engine-env.js";
import type { ProviderName } from "../events/chat-settings.js";
import type { Logger } from "../logger.js";
import { ClaudeProvider } from "./claude/claude-provider.js";
import { CodexProvider } from "./codex/codex-provider.js";
import type { AgentProvider } from "./provider.js";

/** The real agents: Claude Code and Codex, binaries from the environment or PATH. */
export function createProviders(
  env: EngineEnv,
  logger: Logger,
): Record<ProviderName, AgentProvider> {
  return {
    claude: new ClaudeProvider({
      binary: env.REPLICAS_CLAUDE_BIN,
      idleMs: env.REPLICAS_CLAUDE_IDLE_MS,
      logger,
    }),
    codex: new CodexProvider({ binary: env.REPLICAS_CODEX_BIN, logger }),
  };
}
