import { randomUUID } from "node:crypto";
import type { ComponentLogger } from "../../../src/logger.js";
import {
  CodexProvider,
  type CodexProviderOptions,
} from "../../../src/providers/codex/codex-provider.js";
import type { TurnRequest } from "../../../src/providers/provider.js";
import { type FakeOpenAiServer, startFakeOpenAi } from "../../fakes/openai/fake-openai-server.js";
import { pinnedCodexBinary } from "../../support/codex-binary.js";
import { type CodexTestEnv, createCodexEnv } from "../../support/codex-env.js";

/** A logger that keeps what it was told, so tests can assert on warnings. */
export function memoryLogger(): ComponentLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug: () => {}, warn: (_fields, message) => warnings.push(message) };
}

export interface CodexFixture {
  fake: FakeOpenAiServer;
  codex: CodexTestEnv;
  logger: ReturnType<typeof memoryLogger>;
  /** A new adapter on the same CODEX_HOME (a second one simulates an engine restart). */
  provider(options?: CodexProviderOptions): CodexProvider;
  request(chatId: string, text: string, resumeSessionId?: string | null): TurnRequest;
  close(): Promise<void>;
}

/** The real pinned CLI against a fake Responses API in a private CODEX_HOME. */
export async function codexFixture(options: { baseUrl?: string } = {}): Promise<CodexFixture> {
  const fake = await startFakeOpenAi();
  const codex = await createCodexEnv(options.baseUrl ?? fake.baseUrl);
  const logger = memoryLogger();
  const providers: CodexProvider[] = [];
  return {
    fake,
    codex,
    logger,
    provider: (overrides = {}) => {
      const provider = new CodexProvider({
        binary: pinnedCodexBinary(),
        env: codex.env,
        logger,
        ...overrides,
      });
      providers.push(provider);
      return provider;
    },
    request: (chatId, text, resumeSessionId = null) => ({
      chatId,
      turnId: randomUUID(),
      text,
      cwd: codex.workspace,
      resumeSessionId,
      attachments: [],
      settings: {},
    }),
    close: async () => {
      await Promise.all(providers.map((p) => p.shutdown()));
      await fake.close();
      await codex.cleanup();
    },
  };
}
