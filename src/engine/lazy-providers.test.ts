import { describe, expect, it } from "vitest";
import type { ProviderName } from "../events/chat-settings.js";
import type { AgentProvider, ProviderOutput, TurnRequest } from "../providers/provider.js";
import { lazyProviders } from "./lazy-providers.js";

const request = { chatId: "c1", turnId: "t1", text: "hi" } as TurnRequest;

/** An adapter that records what it is asked, and a door that opens (or fails) on demand. */
function recordingAdapters() {
  const calls: string[] = [];
  const adapter = (name: ProviderName): AgentProvider => ({
    name,
    startTurn(turn, emit) {
      calls.push(`${name} start ${turn.turnId}`);
      emit({ kind: "session", sessionId: "s1" });
      return {
        answer: (id) => calls.push(`${name} answer ${id}`),
        interrupt: () => calls.push(`${name} interrupt`),
        signal: () => calls.push(`${name} signal`),
        kill: () => calls.push(`${name} kill`),
      };
    },
    releaseChat: async (chatId) => {
      calls.push(`${name} release ${chatId}`);
    },
    shutdown: async () => {
      calls.push(`${name} shutdown`);
    },
    probe: async () => ({ found: true, path: `/bin/${name}`, version: "1" }),
  });
  let loads = 0;
  let open: (value: Record<ProviderName, AgentProvider>) => void = () => {};
  let refuse: (error: Error) => void = () => {};
  const door = new Promise<Record<ProviderName, AgentProvider>>((resolve, reject) => {
    open = resolve;
    refuse = reject;
  });
  const load = () => {
    loads++;
    return door;
  };
  return {
    calls,
    load,
    loads: () => loads,
    open: () => open({ claude: adapter("claude"), codex: adapter("codex") }),
    refuse: (error: Error) => refuse(error),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("lazyProviders", () => {
  it("loads nothing until used; a chat released or a shutdown before then stops nothing", async () => {
    const adapters = recordingAdapters();
    const providers = lazyProviders(adapters.load);
    await providers.claude.releaseChat("c1");
    await providers.codex.shutdown();
    expect(adapters.loads()).toBe(0);
    expect(adapters.calls).toEqual([]);
  });

  it("a turn started before the code is loaded runs once it is, with its handle's calls in order", async () => {
    const adapters = recordingAdapters();
    const providers = lazyProviders(adapters.load);
    const outputs: ProviderOutput[] = [];
    const handle = providers.claude.startTurn(request, (output) => outputs.push(output));
    handle.answer("a1", { decision: "allow", by: "user" } as never);
    handle.interrupt();
    expect(adapters.calls).toEqual([]);
    adapters.open();
    await settle();
    expect(adapters.calls).toEqual(["claude start t1", "claude answer a1", "claude interrupt"]);
    expect(outputs).toEqual([{ kind: "session", sessionId: "s1" }]);
    // Loaded once: the other agent, a probe and later turns use the same code.
    expect(await providers.codex.probe()).toEqual({
      found: true,
      path: "/bin/codex",
      version: "1",
    });
    providers.claude.startTurn({ ...request, turnId: "t2" }, () => {}).signal();
    await providers.claude.shutdown();
    expect(adapters.loads()).toBe(1);
    expect(adapters.calls.slice(3)).toEqual([
      "claude start t2",
      "claude signal",
      "claude shutdown",
    ]);
  });

  it("a turn killed before the code is loaded never starts", async () => {
    const adapters = recordingAdapters();
    const providers = lazyProviders(adapters.load);
    providers.codex.startTurn(request, () => {}).kill();
    adapters.open();
    await providers.codex.releaseChat("c1");
    expect(adapters.calls).toEqual(["codex release c1"]);
  });

  it("when the code cannot be loaded, the turn fails with provider_error, naming why", async () => {
    const adapters = recordingAdapters();
    const providers = lazyProviders(adapters.load);
    const outputs: ProviderOutput[] = [];
    providers.claude.startTurn(request, (output) => outputs.push(output));
    adapters.refuse(new Error("chunk missing"));
    await settle();
    expect(outputs).toEqual([
      {
        kind: "failed",
        error: {
          code: "provider_error",
          message: "the agent adapter could not start the turn: chunk missing",
        },
      },
    ]);
    // Nothing was loaded, so nothing is left to stop.
    await expect(providers.claude.shutdown()).resolves.toBeUndefined();
  });
});
