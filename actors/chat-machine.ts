import { assign, enqueueActions, sendTo, setup } from "xstate";
import type { StopReason } from "../src/events/chat-events.js";
import { isTerminalOutput, type TurnRequest } from "../src/providers/provider.js";
import { nextExpiry, waitsDurably } from "./approval-decisions.js";
import type {
  ChatContext,
  ChatEmitted,
  ChatEvent,
  ChatInput,
  ProviderCommand,
} from "./chat-context.js";
import { type ChatCommand, decide } from "./chat-decider.js";
import { evolve } from "./chat-state.js";
import type { providerTurn } from "./provider-turn.js";

/** Decides a command against the chat's state: the events to record and the state they give. */
function applyCommand(context: ChatContext, command: ChatCommand) {
  const at = context.timing.now().toISOString();
  const { approvalTimeoutMs } = context.timing;
  const decision = decide(context.chat, command, { at, stop: context.stop, approvalTimeoutMs });
  // A refused command was answered by the registry already; the machine records nothing.
  const events = decision.ok ? decision.events : [];
  return { events, chat: events.reduce((chat, event) => evolve(chat, event, at), context.chat) };
}

/**
 * One chat: idle → running (the provider turn invoked) → interrupting → idle, or deleted. What
 * each command records is decided by `decide` (chat-decider.ts); this machine decides
 * only when: the queue's next turn, the watchdog (the running turn reports the silence, the
 * machine stops the turn only while it is active), the escalation of a stop, shutdown. Every
 * record is emitted, and the engine appends it to the chat's stream before anything else
 * happens; the machine itself does no I/O beyond the invoked provider turn.
 */
export const chatMachine = setup({
  types: {} as {
    context: ChatContext;
    events: ChatEvent;
    input: ChatInput;
    emitted: ChatEmitted;
  },
  actors: {
    // Each chat's engine provides its own provider through `provide`.
    providerTurn: {} as ReturnType<typeof providerTurn>,
  },
  delays: {
    grace: ({ context }) => context.timing.graceMs,
    graceTwice: ({ context }) => context.timing.graceMs * 2,
    graceThrice: ({ context }) => context.timing.graceMs * 3,
    approvalExpiry: ({ context }) => {
      const expiry = nextExpiry(context.chat);
      return expiry ? Math.max(0, Date.parse(expiry) - context.timing.now().getTime()) : 0;
    },
  },
  guards: {
    // A turn left open (boot recovery closes those first) blocks the queue rather than overlap.
    hasQueued: ({ context }) =>
      context.chat.queue.length > 0 && !context.chat.currentTurn && !context.stop.shuttingDown,
    isStopping: ({ context }) => context.stop.shuttingDown,
    isTerminal: ({ event }) => event.type === "PROVIDER" && isTerminalOutput(event.output),
    isApproval: ({ event }) => event.type === "PROVIDER" && event.output.kind === "approval",
    isAwaiting: ({ context }) => context.chat.pendingApprovals.length > 0,
    /** A turn the previous run left waiting on a durable request (boot kept it open). */
    resumesTurn: ({ context }) => context.request === null && waitsDurably(context.chat),
    waitsDurably: ({ context }) => waitsDurably(context.chat),
    isAnswered: ({ context }) => context.chat.pendingApprovals.length === 0,
  },
  actions: {
    dispatch: enqueueActions(({ context, enqueue }, command: ChatCommand) => {
      const { events, chat } = applyCommand(context, command);
      for (const event of events) enqueue.emit({ type: "record", event });
      // A turn that ended takes its request with it.
      enqueue.assign({ chat, request: chat.currentTurn ? context.request : null });
    }),
    /** Records a resolution (the client's answer, a timeout) and tells the waiting agent. */
    resolve: enqueueActions(({ context, enqueue }, command: ChatCommand) => {
      const { events, chat } = applyCommand(context, command);
      for (const event of events) {
        enqueue.emit({ type: "record", event });
        if (event.type !== "chat.approval.resolved") continue;
        const { approvalId, chatId: _c, turnId: _t, ...reply } = event.data;
        enqueue.sendTo("provider", { type: "answer", approvalId, reply });
      }
      enqueue.assign({ chat });
    }),
    startTurn: enqueueActions(({ context, enqueue }) => {
      const open = context.chat.currentTurn;
      const durable = context.chat.pendingApprovals.find((a) => a.durable && a.callId);
      if (open && durable?.callId) {
        // The turn is open already: the provider resumes it once the answer arrives.
        enqueue.assign({
          request: {
            chatId: context.chat.chatId,
            turnId: open.turnId,
            text: "",
            cwd: context.chat.cwd,
            resumeSessionId: context.chat.sessionId,
            settings: { ...context.defaults, ...context.chat.settings, ...open.settings },
            attachments: [],
            deferred: {
              approvalId: durable.approvalId,
              callId: durable.callId,
              toolName: durable.toolName,
              input: durable.input,
            },
          },
        });
        return;
      }
      const { events, chat } = applyCommand(context, { type: "START" });
      for (const event of events) enqueue.emit({ type: "record", event });
      const started = events.find((e) => e.type === "chat.turn.started");
      const request: TurnRequest | null = started
        ? {
            chatId: chat.chatId,
            turnId: started.data.turnId,
            text: started.data.text,
            cwd: chat.cwd,
            resumeSessionId: started.data.resumeSessionId,
            settings: { ...context.defaults, ...chat.settings, ...started.data.settings },
            attachments: started.data.attachments ?? [],
          }
        : null;
      // A new turn: no stop asked for it yet.
      enqueue.assign({
        chat,
        request,
        stop: { ...context.stop, reason: null },
      });
    }),
    markStop: assign(({ context }, reason: StopReason) => ({
      stop: { ...context.stop, reason: context.stop.reason ?? reason },
    })),
    markStopping: assign(({ context }) => ({ stop: { ...context.stop, shuttingDown: true } })),
    tellProvider: sendTo("provider", (_, command: ProviderCommand) => command),
  },
}).createMachine({
  id: "chat",
  context: ({ input }) => ({
    ...input,
    request: null,
    stop: { reason: null, shuttingDown: false },
  }),
  initial: "idle",
  on: {
    MESSAGE: { actions: { type: "dispatch", params: ({ event }) => event } },
  },
  states: {
    idle: {
      always: [
        { guard: "isStopping", target: "stopped" },
        { guard: "resumesTurn", target: "running" },
        { guard: "hasQueued", target: "running" },
      ],
      on: {
        DELETE: { target: "deleted", actions: { type: "dispatch", params: { type: "DELETE" } } },
        SHUTDOWN: { target: "stopped", actions: "markStopping" },
      },
    },
    running: {
      entry: "startTurn",
      invoke: {
        id: "provider",
        src: "providerTurn",
        input: ({ context }) => {
          if (!context.request) throw new Error("running without a turn request");
          return context.request;
        },
        // A provider that throws (starting the turn or later) fails the turn; the chat stays
        // alive, goes idle and takes the next message.
        onError: {
          target: "#chat.idle",
          actions: {
            type: "dispatch",
            params: ({ event }) => ({
              type: "PROVIDER",
              output: {
                kind: "failed",
                error: {
                  code: "provider_error",
                  message: `the agent provider failed: ${event.error instanceof Error ? event.error.message : String(event.error)}`,
                },
              },
            }),
          },
        },
      },
      initial: "active",
      on: {
        PROVIDER: [
          {
            guard: "isTerminal",
            target: "idle",
            actions: { type: "dispatch", params: ({ event }) => event },
          },
          { actions: { type: "dispatch", params: ({ event }) => event } },
        ],
        // The delete's reason is the decider's (decideDelete), whatever stop was under way.
        DELETE: { target: "deleted", actions: { type: "dispatch", params: { type: "DELETE" } } },
        SHUTDOWN: {
          target: ".interrupting",
          actions: ["markStopping", { type: "markStop", params: "shutdown" }],
        },
        ANSWER: { actions: { type: "resolve", params: ({ event }) => event } },
      },
      states: {
        // Other outputs (and the turn's end) are recorded by the parent's PROVIDER.
        active: {
          always: { guard: "isAwaiting", target: "awaiting" },
          on: {
            // The agent waits for an answer (no watchdog meanwhile).
            PROVIDER: {
              guard: "isApproval",
              target: "awaiting",
              actions: { type: "dispatch", params: ({ event }) => event },
            },
            WATCHDOG: { target: "interrupting", actions: { type: "markStop", params: "watchdog" } },
            INTERRUPT: { target: "interrupting", actions: { type: "markStop", params: "user" } },
          },
        },
        // The agent waits for an answer: no watchdog (a person may take long; its report is
        // ignored here), the requests' own timeout instead.
        awaiting: {
          always: { guard: "isAnswered", target: "active" },
          after: {
            approvalExpiry: {
              target: "awaiting",
              reenter: true,
              actions: { type: "resolve", params: { type: "EXPIRE" } },
            },
          },
          on: {
            INTERRUPT: { target: "interrupting", actions: { type: "markStop", params: "user" } },
            // A durable request outlives the engine: nothing to stop, the next run resumes it.
            SHUTDOWN: { guard: "waitsDurably", target: "#chat.stopped", actions: "markStopping" },
          },
        },
        interrupting: {
          on: {
            // Already stopping: nothing to record, the escalation goes on. The turn's end then
            // sees the shutdown (the outcome is `shutdown`, idle goes on to stopped).
            SHUTDOWN: { actions: "markStopping" },
          },
          entry: [
            {
              type: "dispatch",
              params: ({ context }) => ({ type: "STOP", reason: context.stop.reason ?? "user" }),
            },
            { type: "tellProvider", params: { type: "interrupt" } },
          ],
          after: {
            grace: { actions: { type: "tellProvider", params: { type: "signal" } } },
            graceTwice: { actions: { type: "tellProvider", params: { type: "kill" } } },
            // The provider ignored even the kill: end the turn without it.
            graceThrice: {
              target: "#chat.idle",
              actions: { type: "dispatch", params: { type: "GIVE_UP" } },
            },
          },
        },
      },
    },
    stopped: { type: "final" },
    deleted: { type: "final" },
  },
});

export type ChatMachine = typeof chatMachine;
