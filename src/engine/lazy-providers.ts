import type { ProviderName } from "../events/chat-settings.js";
import type {
  AgentProvider,
  ProviderOutput,
  TurnHandle,
  TurnRequest,
} from "../providers/provider.js";
import { failed, providerErrorCodes } from "../providers/toolkit/error-codes.js";

export type LoadProviders = () => Promise<Record<ProviderName, AgentProvider>>;

/**
 * The agents' adapters, their code loaded on first use: it is, with execa's, a good part of the
 * command and of its memory, and an idle engine needs none of it (the first turn loads it, or
 * the first /status, which probes the agents). A turn started before it is loaded waits for
 * the code; the calls on its handle are replayed in order once it runs. A chat or a shutdown
 * before the first load has no agent process to stop.
 */
export function lazyProviders(load: LoadProviders): Record<ProviderName, AgentProvider> {
  let loading: Promise<Record<ProviderName, AgentProvider>> | null = null;
  let loaded: Record<ProviderName, AgentProvider> | null = null;
  const providers = () => {
    loading ??= load().then((all) => {
      loaded = all;
      return all;
    });
    return loading;
  };
  /** What was loaded, for the calls that have nothing to do when nothing was. */
  const started = () => (loading ?? Promise.resolve(null)).catch(() => null);
  const lazy = (name: ProviderName): AgentProvider => ({
    name,
    startTurn: (request, emit) =>
      loaded
        ? loaded[name].startTurn(request, emit)
        : startOnceLoaded(
            providers().then((all) => all[name]),
            request,
            emit,
          ),
    releaseChat: async (chatId) => (await started())?.[name].releaseChat(chatId),
    shutdown: async () => (await started())?.[name].shutdown(),
    probe: async () => (await providers())[name].probe(),
  });
  return { claude: lazy("claude"), codex: lazy("codex") };
}

function startOnceLoaded(
  provider: Promise<AgentProvider>,
  request: TurnRequest,
  emit: (output: ProviderOutput) => void,
): TurnHandle {
  let handle: TurnHandle | null = null;
  // Killed before it ran: the machine has left the turn, so it never starts.
  let killed = false;
  const calls: ((handle: TurnHandle) => void)[] = [];
  const fail = (error: unknown) =>
    emit(
      failed(
        providerErrorCodes.error,
        `the agent adapter could not start the turn: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  provider.then((loaded) => {
    if (killed) return;
    try {
      handle = loaded.startTurn(request, emit);
    } catch (error) {
      // What a throw from startTurn is without the wait: the turn fails (the actor's onError).
      fail(error);
      return;
    }
    for (const call of calls.splice(0)) call(handle);
  }, fail);
  const relay = (call: (handle: TurnHandle) => void) => (handle ? call(handle) : calls.push(call));
  return {
    answer: (approvalId, reply) => relay((h) => h.answer(approvalId, reply)),
    interrupt: () => relay((h) => h.interrupt()),
    signal: () => relay((h) => h.signal()),
    kill: () => {
      if (handle) handle.kill();
      else killed = true;
    },
  };
}
