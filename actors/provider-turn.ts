import { fromCallback } from "xstate";
import {
  type AgentProvider,
  isTerminalOutput,
  type TurnRequest,
} from "../src/providers/provider.js";
import type { ChatCommand, ProviderCommand } from "./chat-context.js";

/**
 * The running turn as an invoked actor: it starts the provider's turn, forwards every output to
 * the chat machine and relays the machine's escalation commands. If the machine leaves the
 * turn (delete, give-up) before the provider ended it, the process is killed on the way out.
 * A provider that throws makes this actor fail; the machine's `onError` ends the turn.
 */
export function providerTurn(provider: AgentProvider) {
  return fromCallback<ProviderCommand, TurnRequest, ChatCommand>(({ input, sendBack, receive }) => {
    let ended = false;
    const handle = provider.startTurn(input, (output) => {
      if (ended) return;
      if (isTerminalOutput(output)) ended = true;
      sendBack({ type: "PROVIDER", output });
    });
    receive((command) => {
      if (ended) return;
      if (command.type === "answer") handle.answer(command.approvalId, command.reply);
      else handle[command.type]();
    });
    return () => {
      if (!ended) handle.kill();
    };
  });
}
