import type { ProviderName } from "../../src/events/chat-settings.js";
import type {
  AgentProvider,
  ProviderOutput,
  TurnHandle,
  TurnRequest,
} from "../../src/providers/provider.js";

/**
 * A provider test double whose behaviour is the message text:
 *   reply <words>   streams the words as deltas, then the final text and `completed`
 *   stream <n>      n deltas as fast as the event loop allows, then `completed`
 *   drip <n> <ms>   n deltas of one item, one every ms, then `completed`
 *   sleep <ms>      completes after ms; an interrupt ends it at once
 *   silent          never says anything (the watchdog's case); an interrupt ends it
 *   stubborn        ignores interrupt and signal; only kill ends it
 *   deaf            ignores everything, kill included
 *   fail <message>  fails with that message
 *   ask <command>   asks to run the command; allow answers "ran <command>", deny "skipped: <message>"
 * Every turn first reports the session id "session-<chatId>".
 */
export class ScriptedProvider implements AgentProvider {
  readonly requests: TurnRequest[] = [];
  readonly commands: string[] = [];
  readonly released: string[] = [];

  constructor(readonly name: ProviderName = "claude") {}

  startTurn(request: TurnRequest, emit: (output: ProviderOutput) => void): TurnHandle {
    this.requests.push(request);
    const [verb = "", ...rest] = request.text.trim().split(/\s+/);
    const arg = rest.join(" ");
    const timers = new Set<NodeJS.Timeout>();
    let ended = false;
    const later = (ms: number, fn: () => void) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!ended) fn();
      }, ms);
      timers.add(timer);
    };
    const end = (
      output: Extract<ProviderOutput, { kind: "completed" | "failed" | "interrupted" }>,
    ) => {
      if (ended) return;
      ended = true;
      for (const timer of timers) clearTimeout(timer);
      emit(output);
    };
    const completed = () =>
      end({
        kind: "completed",
        usage: {
          inputTokens: 10,
          outputTokens: 5,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          reasoningTokens: 0,
        },
        costUsd: 0.001,
      });
    const itemId = `${request.turnId}-text`;

    later(0, () => {
      emit({ kind: "session", sessionId: `session-${request.chatId}` });
      switch (verb) {
        case "reply": {
          const words = arg.split(" ");
          words.forEach((word, i) => {
            later(i, () =>
              emit({
                kind: "delta",
                itemId,
                itemKind: "assistant_text",
                text: i ? ` ${word}` : word,
              }),
            );
          });
          later(words.length, () => {
            emit({ kind: "item", itemId, item: { type: "assistant_text", text: arg } });
            completed();
          });
          break;
        }
        case "stream":
          for (let i = 0; i < Number(arg); i++) {
            emit({
              kind: "delta",
              itemId: `${itemId}-${i}`,
              itemKind: "assistant_text",
              text: `${Date.now()}`,
            });
          }
          completed();
          break;
        case "drip": {
          // Each chunk is " <Date.now()>", so coalesced text still says when every chunk left.
          const [count = 0, every = 0] = rest.map(Number);
          for (let i = 0; i < count; i++) {
            later(i * every, () =>
              emit({ kind: "delta", itemId, itemKind: "assistant_text", text: ` ${Date.now()}` }),
            );
          }
          later(count * every, completed);
          break;
        }
        case "sleep":
          later(Number(arg), completed);
          break;
        case "fail":
          end({ kind: "failed", error: { code: "scripted_failure", message: arg } });
          break;
        case "ask":
          emit({
            kind: "approval",
            ask: {
              approvalId: `appr_${request.turnId}`,
              kind: "command",
              callId: null,
              toolName: "shell",
              input: { command: arg, cwd: request.cwd },
              reason: "the scripted agent wants to run a command",
              decisions: ["allow", "deny"],
              scopes: ["once"],
              editableInput: false,
            },
          });
          break;
        case "silent":
        case "stubborn":
        case "deaf":
          break;
        default:
          emit({ kind: "item", itemId, item: { type: "assistant_text", text: request.text } });
          completed();
      }
    });

    const stop = (command: string) => {
      this.commands.push(`${request.turnId}:${command}`);
      if (verb === "deaf") return;
      if (verb === "stubborn" && command !== "kill") return;
      end({ kind: "interrupted" });
    };
    return {
      answer: (approvalId, reply) => {
        this.commands.push(`${request.turnId}:answer:${approvalId}`);
        if (verb !== "ask" || ended) return;
        const text = reply.decision === "allow" ? `ran ${arg}` : `skipped: ${reply.message ?? ""}`;
        emit({ kind: "item", itemId, item: { type: "assistant_text", text } });
        completed();
      },
      interrupt: () => stop("interrupt"),
      signal: () => stop("signal"),
      kill: () => stop("kill"),
    };
  }

  async releaseChat(chatId: string): Promise<void> {
    this.released.push(chatId);
  }

  async shutdown(): Promise<void> {}

  async probe() {
    return { found: true, path: "scripted", version: "1.0.0" };
  }
}
