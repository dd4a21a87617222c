import { randomUUID } from "node:crypto";
import { execa } from "execa";
import type { CanonicalItem } from "../../../src/events/canonical-item.js";
import type { ChatSettings } from "../../../src/events/chat-settings.js";
import {
  ClaudeProvider,
  type ClaudeProviderOptions,
} from "../../../src/providers/claude/claude-provider.js";
import type { ProviderOutput, TurnRequest } from "../../../src/providers/provider.js";
import { type FakeAnthropicServer, startFakeAnthropic } from "../../fakes/anthropic/index.js";
import { type ClaudeTestEnv, makeClaudeEnv, pinnedClaudeBinary } from "../../support/claude-env.js";

/** The real pinned CLI against a fake model API, in a private environment. */
export interface ClaudeHarness {
  fake: FakeAnthropicServer;
  env: ClaudeTestEnv;
  warnings: string[];
  providers: ClaudeProvider[];
  /** A new adapter instance on the same environment (a second one simulates an engine restart). */
  provider(options?: Partial<ClaudeProviderOptions>): ClaudeProvider;
  /** A fresh git repository to work in. */
  repo(name: string): Promise<string>;
  request(
    chatId: string,
    text: string,
    cwd: string,
    settings?: ChatSettings,
    resumeSessionId?: string | null,
  ): TurnRequest;
  close(): Promise<void>;
}

export async function startClaudeHarness(): Promise<ClaudeHarness> {
  const fake = await startFakeAnthropic();
  const env = await makeClaudeEnv(fake.url);
  const warnings: string[] = [];
  const providers: ClaudeProvider[] = [];
  return {
    fake,
    env,
    warnings,
    providers,
    provider: (options = {}) => {
      const provider = new ClaudeProvider({
        binary: pinnedClaudeBinary(),
        env: env.env,
        idleMs: 120_000,
        // Off unless a test asks (claude-spare.test.ts): every test chat works in a fresh
        // repository, where a spare started after each first turn would only be thrown away.
        spare: false,
        logger: { debug: () => {}, warn: (_fields, message) => warnings.push(message) },
        ...options,
      });
      providers.push(provider);
      return provider;
    },
    repo: async (name) => {
      const dir = await env.makeWorkdir(name);
      await execa("git", ["init", "-q", dir], { timeout: 10_000 });
      return dir;
    },
    request: (chatId, text, cwd, settings = {}, resumeSessionId = null) => ({
      chatId,
      turnId: randomUUID(),
      text,
      cwd,
      resumeSessionId,
      attachments: [],
      settings,
    }),
    close: async () => {
      await Promise.all(providers.map((p) => p.shutdown()));
      await fake.close();
      await env.cleanup();
    },
  };
}

/** The items of one canonical type among a turn's outputs, in order. */
export function itemsOf<T extends CanonicalItem["type"]>(
  outputs: readonly ProviderOutput[],
  type: T,
): Array<Extract<CanonicalItem, { type: T }>> {
  return outputs.flatMap((o) =>
    o.kind === "item" && o.item.type === type
      ? [o.item as Extract<CanonicalItem, { type: T }>]
      : [],
  );
}

/** The agent session a turn reported. */
export function sessionOf(outputs: readonly ProviderOutput[]): string | undefined {
  const session = outputs.find((o) => o.kind === "session");
  return session?.kind === "session" ? session.sessionId : undefined;
}
