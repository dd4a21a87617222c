import { afterEach, describe, expect, it, vi } from "vitest";
import { createActor, setup } from "xstate";
import type { AgentProvider, ProviderOutput, TurnRequest } from "../src/providers/provider.js";
import { approvalResolved } from "../test/support/approval-records.js";
import type { ChatEvent, ProviderCommand } from "./chat-context.js";
import { providerTurn } from "./provider-turn.js";

const WATCHDOG_MS = 1_000;
const request: TurnRequest = {
  chatId: "c1",
  turnId: "t1",
  text: "hi",
  cwd: "/w",
  resumeSessionId: null,
  settings: {},
  attachments: [],
};

/** The turn actor under a parent that notes what it hears, with a provider the test speaks for. */
function running() {
  let emit: (output: ProviderOutput) => void = () => {};
  const answered: string[] = [];
  const provider: AgentProvider = {
    name: "claude",
    startTurn: (_request, onOutput) => {
      emit = onOutput;
      return {
        answer: (approvalId) => answered.push(approvalId),
        interrupt: () => {},
        signal: () => {},
        kill: () => {},
      };
    },
    releaseChat: async () => {},
    shutdown: async () => {},
    probe: async () => ({ found: true, path: null, version: null }),
  };
  const heard: string[] = [];
  const parent = setup({
    types: {} as { events: ChatEvent | { type: "TELL"; command: ProviderCommand } },
    actors: { turn: providerTurn(provider, WATCHDOG_MS) },
  }).createMachine({
    invoke: { id: "turn", src: "turn", input: request },
    on: {
      "*": {
        actions: ({ event, self }) => {
          if (event.type === "TELL") {
            self.getSnapshot().children.turn?.send(event.command);
            return;
          }
          heard.push(event.type === "PROVIDER" ? event.output.kind : event.type);
        },
      },
    },
  });
  const actor = createActor(parent).start();
  const tell = (command: ProviderCommand) => actor.send({ type: "TELL", command });
  return { emit: (output: ProviderOutput) => emit(output), heard, answered, tell, actor };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("provider turn: the watchdog's clock", () => {
  it("given output within the watchdog's time, it reports no silence; activity is not forwarded", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { emit, heard, actor } = running();
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(WATCHDOG_MS - 1);
      emit({ kind: i % 2 ? "activity" : "delta", itemId: "i1", itemKind: "reasoning", text: "." });
    }
    expect(heard).toEqual(["delta", "delta", "delta"]);
    // When it then goes silent, the report comes after the watchdog's whole time, not before.
    vi.advanceTimersByTime(WATCHDOG_MS - 1);
    expect(heard).not.toContain("WATCHDOG");
    vi.advanceTimersByTime(1);
    expect(heard.filter((h) => h === "WATCHDOG")).toHaveLength(1);
    actor.stop();
  });

  it("given an answer relayed to the agent, the silence starts anew; a turn that ended reports nothing", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { emit, heard, answered, tell, actor } = running();
    vi.advanceTimersByTime(WATCHDOG_MS - 1);
    const { approvalId, chatId: _c, turnId: _t, ...reply } = approvalResolved("a1", "t1").data;
    tell({ type: "answer", approvalId, reply });
    expect(answered).toEqual(["a1"]);
    vi.advanceTimersByTime(WATCHDOG_MS - 1);
    expect(heard).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(heard).toEqual(["WATCHDOG"]);
    emit({ kind: "completed", usage: null, costUsd: null });
    vi.advanceTimersByTime(WATCHDOG_MS * 5);
    expect(heard).toEqual(["WATCHDOG", "completed"]);
    actor.stop();
  });
});

describe("provider turn: a provider that throws", () => {
  it("given startTurn throws, when time passes, then the failed turn leaves no timer and reports no silence", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const provider = {
      name: "claude",
      startTurn: () => {
        throw new Error("spawn EACCES");
      },
    } as unknown as AgentProvider;
    const heard: string[] = [];
    const parent = setup({
      types: {} as { events: ChatEvent },
      actors: { turn: providerTurn(provider, WATCHDOG_MS) },
    }).createMachine({
      invoke: {
        id: "turn",
        src: "turn",
        input: request,
        onError: { actions: () => heard.push("error") },
      },
      on: { "*": { actions: ({ event }) => heard.push(event.type) } },
    });
    const actor = createActor(parent).start();
    // The turn fails as it did: the machine's onError ends it.
    expect(heard).toEqual(["error"]);
    // A timer left behind would report to the chat's later turns, and re-arm itself forever.
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(WATCHDOG_MS * 5);
    expect(heard).toEqual(["error"]);
    actor.stop();
  });
});
