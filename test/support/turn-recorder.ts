import {
  type AgentProvider,
  isTerminalOutput,
  type ProviderOutput,
  type TerminalOutput,
  type TurnHandle,
  type TurnRequest,
} from "../../src/providers/provider.js";

export interface RecordedTurn {
  handle: TurnHandle;
  /** Every output in order, the terminal one included. */
  outputs: ProviderOutput[];
  /** The first terminal output. */
  ended: Promise<TerminalOutput>;
  /** Resolves when an output matching `predicate` has been emitted. */
  waitFor(
    predicate: (output: ProviderOutput) => boolean,
    timeoutMs?: number,
  ): Promise<ProviderOutput>;
}

/** Starts a turn and records what the adapter emits, as the chat actor would receive it. */
export function recordTurn(provider: AgentProvider, request: TurnRequest): RecordedTurn {
  const outputs: ProviderOutput[] = [];
  const listeners = new Set<(output: ProviderOutput) => void>();
  let endTurn: (output: TerminalOutput) => void = () => {};
  const ended = new Promise<TerminalOutput>((resolve) => {
    endTurn = resolve;
  });
  const handle = provider.startTurn(request, (output) => {
    outputs.push(output);
    for (const listener of listeners) listener(output);
    if (isTerminalOutput(output)) endTurn(output);
  });
  return {
    handle,
    outputs,
    ended,
    waitFor: (predicate, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const seen = outputs.find(predicate);
        if (seen) return resolve(seen);
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`no matching output within ${timeoutMs} ms`));
        }, timeoutMs);
        const listener = (output: ProviderOutput) => {
          if (!predicate(output)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(output);
        };
        listeners.add(listener);
      }),
  };
}

export function terminalCount(outputs: readonly ProviderOutput[]): number {
  return outputs.filter(isTerminalOutput).length;
}
