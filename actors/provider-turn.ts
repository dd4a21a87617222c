import { fromCallback } from "xstate";
import type { AgentProvider, TurnRequest } from "../src/providers/provider.js";
import type { ChatEvent, ProviderCommand } from "./chat-context.js";

/**
 * The running turn as an invoked actor: it starts the provider's turn, forwards every output to
 * the chat machine and relays the machine's escalation commands. If the machine leaves the
 * turn (delete, give-up) before the provider ended it, the process is killed on the way out.
 */
export function providerTurn(provider: AgentProvider) {
  return fromCallback<ProviderCommand, TurnRequest, ChatEvent>(({ input, sendBack, receive }) => {
    let ended = false;
    const handle = provider.startTurn(input, (output) => {
      if (ended) return;
      if (output.kind === "completed" || output.kind === "failed" || output.kind === "interrupted")
        ended = true;
      sendBack({ type: "PROVIDER", output });
    });
    receive((command) => {
      if (!ended) handle[command.type]();
    });
    return () => {
      if (!ended) handle.kill();
    };
  });
}
