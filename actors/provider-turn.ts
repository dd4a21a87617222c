import { fromCallback } from "xstate";
import {
  type AgentProvider,
  isTerminalOutput,
  type TurnRequest,
} from "../src/providers/provider.js";
import type { ChatEvent, ProviderCommand } from "./chat-context.js";

/**
 * The running turn as an invoked actor: it starts the provider's turn, forwards every output to
 * the chat machine and relays the machine's escalation commands. If the machine leaves the
 * turn (delete, give-up) before the provider ended it, the process is killed on the way out.
 * A provider that throws makes this actor fail; the machine's `onError` ends the turn.
 *
 * It also keeps the watchdog's clock: an agent reports many signs of life a second, so each only
 * notes the time (an `activity` output, which records nothing, is not forwarded at all), and one
 * timer, re-armed at expiry for the rest of the silence, reports `WATCHDOG` once the agent has
 * been silent for `watchdogMs`. What a silence means (nothing while a request awaits its answer)
 * is the machine's to decide. An answer relayed to the agent starts the silence anew.
 */
export function providerTurn(provider: AgentProvider, watchdogMs: number) {
  return fromCallback<ProviderCommand, TurnRequest, ChatEvent>(({ input, sendBack, receive }) => {
    let ended = false;
    let lastSign = Date.now();
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      const silent = Date.now() - lastSign;
      if (silent >= watchdogMs) {
        sendBack({ type: "WATCHDOG" });
        lastSign = Date.now();
      }
      watchdog = setTimeout(check, silent >= watchdogMs ? watchdogMs : watchdogMs - silent);
    };
    const handle = provider.startTurn(input, (output) => {
      if (ended) return;
      lastSign = Date.now();
      if (isTerminalOutput(output)) {
        ended = true;
        clearTimeout(watchdog);
      }
      if (output.kind !== "activity") sendBack({ type: "PROVIDER", output });
    });
    receive((command) => {
      if (ended) return;
      if (command.type === "answer") {
        lastSign = Date.now();
        handle.answer(command.approvalId, command.reply);
      } else handle[command.type]();
    });
    // Armed only once the turn started: a startTurn that throws fails this actor before it
    // returns its cleanup, so a timer armed earlier would outlive the turn, re-arm itself forever
    // and report WATCHDOG to the chat's later turns.
    if (!ended) watchdog = setTimeout(check, watchdogMs);
    return () => {
      clearTimeout(watchdog);
      if (!ended) handle.kill();
    };
  });
}
