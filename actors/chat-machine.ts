import { assign, emit, enqueueActions, sendTo, setup } from "xstate";
import type { NewEvent } from "../src/events/catalogue.js";
import type { StopReason } from "../src/events/chat-events.js";
import type { ProviderOutput, TerminalOutput, TurnRequest } from "../src/providers/provider.js";
import type {
  ChatContext,
  ChatEmitted,
  ChatEvent,
  ChatInput,
  ProviderCommand,
} from "./chat-context.js";
import type { providerTurn } from "./provider-turn.js";
import { turnOutcome } from "./turn-outcome.js";

const record = (event: NewEvent): ChatEmitted => ({ type: "record", event });

const isTerminal = (output: ProviderOutput): output is TerminalOutput =>
  output.kind === "completed" || output.kind === "failed" || output.kind === "interrupted";

/** The turn request for the message at the head of the turn, with its overrides applied. */
function turnRequest(context: ChatContext): TurnRequest {
  const turn = context.turn;
  if (!turn) throw new Error("no active turn");
  return {
    chatId: context.chatId,
    turnId: turn.turnId,
    text: turn.text,
    cwd: context.cwd,
    resumeSessionId: context.sessionId,
    settings: { ...context.settings, ...turn.settings },
  };
}

/** What each non-terminal provider output becomes in the log. */
function outputRecord(context: ChatContext, output: ProviderOutput): NewEvent | null {
  const turnId = context.turn?.turnId ?? "";
  const chatId = context.chatId;
  switch (output.kind) {
    case "session":
      return output.sessionId === context.sessionId
        ? null
        : { type: "chat.session.updated", data: { chatId, turnId, sessionId: output.sessionId } };
    case "delta":
      return {
        type: "chat.item.delta",
        data: { chatId, turnId, itemId: output.itemId, kind: output.itemKind, text: output.text },
      };
    case "item":
      return {
        type: "chat.item.added",
        data: { chatId, turnId, itemId: output.itemId, item: output.item },
      };
    default:
      return null;
  }
}

/**
 * One chat: idle → running (the provider turn invoked) → interrupting → idle, or deleted.
 * Every transition that the outside world should know of emits a `record` event, which the
 * engine appends to the chat's stream before anything else happens; the machine itself does no
 * I/O beyond the invoked provider turn, so its logic replays without side effects.
 */
export const chatMachine = setup({
  types: {} as { context: ChatContext; events: ChatEvent; input: ChatInput; emitted: ChatEmitted },
  actors: {
    // Each chat's engine provides its own provider through `provide`.
    providerTurn: {} as ReturnType<typeof providerTurn>,
  },
  delays: {
    watchdog: ({ context }) => context.timing.watchdogMs,
    grace: ({ context }) => context.timing.graceMs,
    graceTwice: ({ context }) => context.timing.graceMs * 2,
    graceThrice: ({ context }) => context.timing.graceMs * 3,
  },
  guards: {
    hasQueued: ({ context }) => context.queue.length > 0 && !context.stopping,
    isStopping: ({ context }) => context.stopping,
    isTerminal: ({ event }) => event.type === "PROVIDER" && isTerminal(event.output),
  },
  actions: {
    enqueue: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== "MESSAGE") return;
      const { messageId, text, settings } = event.message;
      enqueue.emit(
        record({
          type: "chat.message.queued",
          data: { chatId: context.chatId, messageId, text, settings },
        }),
      );
      enqueue.assign({ queue: [...context.queue, event.message] });
    }),
    startTurn: enqueueActions(({ context, enqueue }) => {
      const [next, ...rest] = context.queue;
      if (!next) return;
      const turn = {
        turnId: `turn_${next.messageId}`,
        messageId: next.messageId,
        text: next.text,
        settings: next.settings,
        startedAt: context.timing.now(),
        stopReason: null,
      };
      enqueue.assign({ queue: rest, turn });
      enqueue.emit(
        record({
          type: "chat.turn.started",
          data: {
            chatId: context.chatId,
            turnId: turn.turnId,
            messageId: turn.messageId,
            text: turn.text,
            settings: turn.settings,
            resumeSessionId: context.sessionId,
          },
        }),
      );
    }),
    recordOutput: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== "PROVIDER") return;
      const next = outputRecord(context, event.output);
      if (next) enqueue.emit(record(next));
      if (event.output.kind === "session") enqueue.assign({ sessionId: event.output.sessionId });
    }),
    endTurn: enqueueActions(({ context, event, enqueue }) => {
      const turn = context.turn;
      if (!turn) return;
      const output = event.type === "PROVIDER" && isTerminal(event.output) ? event.output : null;
      enqueue.emit(
        record(turnOutcome(context.chatId, turn, output, context.timing.now() - turn.startedAt)),
      );
      enqueue.assign({ turn: null });
    }),
    markStop: assign(({ context }, reason: StopReason) => ({
      turn: context.turn && { ...context.turn, stopReason: context.turn.stopReason ?? reason },
    })),
    recordInterrupting: emit(({ context }) =>
      record({
        type: "chat.turn.interrupting",
        data: {
          chatId: context.chatId,
          turnId: context.turn?.turnId ?? "",
          reason: context.turn?.stopReason ?? "user",
        },
      }),
    ),
    tellProvider: sendTo("provider", (_, command: ProviderCommand) => command),
    dropQueue: enqueueActions(({ context, enqueue }) => {
      for (const message of context.queue) {
        enqueue.emit(
          record({
            type: "chat.message.dropped",
            data: { chatId: context.chatId, messageId: message.messageId, reason: "chat_deleted" },
          }),
        );
      }
      enqueue.assign({ queue: [] });
    }),
    recordDeleted: emit(({ context }) =>
      record({ type: "chat.deleted", data: { chatId: context.chatId } }),
    ),
    markStopping: assign({ stopping: true }),
  },
}).createMachine({
  id: "chat",
  context: ({ input }) => ({ ...input, turn: null, stopping: false }),
  initial: "idle",
  on: {
    MESSAGE: { actions: "enqueue" },
  },
  states: {
    idle: {
      always: [
        { guard: "isStopping", target: "stopped" },
        { guard: "hasQueued", target: "running" },
      ],
      on: {
        DELETE: { target: "deleted", actions: ["dropQueue", "recordDeleted"] },
        SHUTDOWN: { target: "stopped", actions: "markStopping" },
      },
    },
    running: {
      entry: "startTurn",
      invoke: { id: "provider", src: "providerTurn", input: ({ context }) => turnRequest(context) },
      initial: "active",
      on: {
        PROVIDER: [
          { guard: "isTerminal", target: "idle", actions: "endTurn" },
          { actions: "recordOutput" },
        ],
        DELETE: {
          target: "deleted",
          actions: [
            { type: "markStop", params: "chat_deleted" },
            "endTurn",
            "dropQueue",
            "recordDeleted",
          ],
        },
        SHUTDOWN: {
          target: ".interrupting",
          actions: ["markStopping", { type: "markStop", params: "shutdown" }],
        },
      },
      states: {
        active: {
          after: {
            watchdog: { target: "interrupting", actions: { type: "markStop", params: "watchdog" } },
          },
          on: {
            PROVIDER: [
              { guard: "isTerminal", target: "#chat.idle", actions: "endTurn" },
              // Any sign of life restarts the watchdog.
              { target: "active", reenter: true, actions: "recordOutput" },
            ],
            INTERRUPT: { target: "interrupting", actions: { type: "markStop", params: "user" } },
          },
        },
        interrupting: {
          entry: ["recordInterrupting", { type: "tellProvider", params: { type: "interrupt" } }],
          after: {
            grace: { actions: { type: "tellProvider", params: { type: "signal" } } },
            graceTwice: { actions: { type: "tellProvider", params: { type: "kill" } } },
            // The provider ignored even the kill: end the turn without it.
            graceThrice: { target: "#chat.idle", actions: "endTurn" },
          },
        },
      },
    },
    stopped: { type: "final" },
    deleted: { type: "final" },
  },
});

export type ChatMachine = typeof chatMachine;
