import { type Actor, createActor, type InspectionEvent, type Observer, toPromise } from "xstate";
import type { ChatTiming } from "../../actors/chat-context.js";
import {
  type ChatCommand,
  type ChatRejection,
  decide,
  type PostMessage,
} from "../../actors/chat-decider.js";
import { chatMachine } from "../../actors/chat-machine.js";
import { chatState, isTurnEnd } from "../../actors/chat-state.js";
import { providerTurn } from "../../actors/provider-turn.js";
import { approvalDocId, chatApprovalsProjection } from "../../projections/chat-approvals.js";
import {
  type ChatDoc,
  type ChatView,
  chatsProjection,
  readChatView,
} from "../../projections/chats.js";
import type { ChatSettings, ProviderName } from "../events/chat-settings.js";
import { appendToStream } from "../log/append-to-stream.js";
import type { Logger } from "../logger.js";
import type { AgentProvider } from "../providers/provider.js";
import type { EngineLog } from "../read-models/open-engine-log.js";
import { ChatRecorder } from "./chat-recorder.js";
import {
  type ApprovalAnswer,
  type ApprovalAnswerOutcome,
  decideApprovalAnswer,
} from "./decide-approval-answer.js";
import { postedText } from "./posted-text.js";

/** What XState's `inspect` option takes: the chat actors' inspection events go there. */
export type InspectHook = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

export type ChatError =
  | ChatRejection
  | { code: "chat_unavailable"; message: string }
  | { code: "shutting_down"; message: string };

export type ChatResult<T> = { ok: true; value: T } | { ok: false; error: ChatError };

export interface CreateChat {
  chatId: string;
  provider: ProviderName;
  title: string | null;
  cwd: string;
  settings: ChatSettings;
}

export type { PostMessage };

interface LiveChat {
  actor: Actor<typeof chatMachine>;
  recorder: ChatRecorder;
}

export interface ChatRegistryOptions {
  log: EngineLog;
  providers: Readonly<Record<ProviderName, AgentProvider>>;
  /** The machine's timers; its clock is the log's, which stamps the events. */
  timing: Omit<ChatTiming, "now">;
  /** Each agent's engine-wide settings, which a chat's and a message's override (from the environment). */
  defaults?: Partial<Record<ProviderName, ChatSettings>>;
  logger: Logger;
  inspect?: InspectHook;
}

const notFound = (chatId: string): ChatResult<never> => ({
  ok: false,
  error: { code: "chat_not_found", message: `no chat with id "${chatId}"` },
});

/**
 * The live chat actors, and the commands the API sends them. What a command records, or why it
 * is refused, is `decide`'s (actors/chat-decider.ts): the registry asks it for the answer it gives the
 * API, from the actor's own state, and sends the actor the commands that record something.
 */
export class ChatRegistry {
  private readonly live = new Map<string, LiveChat>();
  private readonly turnEndedListeners = new Set<(chatId: string) => void>();
  private stopping = false;

  constructor(private readonly options: ChatRegistryOptions) {}

  private get log() {
    return this.options.log;
  }

  /** Starts an actor for every chat the read models know; queued messages start running. */
  startAll(): void {
    for (const chat of this.log.readModels.list(chatsProjection)) {
      if (chat.status !== "deleted") this.spawn(chat);
    }
  }

  /** A live chat with its recent messages' states; undefined when unknown or deleted. */
  chat(chatId: string): ChatView | undefined {
    return readChatView(this.log.readModels, chatId);
  }

  create(input: CreateChat): ChatResult<{ chat: ChatDoc; created: boolean }> {
    if (this.stopping) return this.shuttingDown();
    const existing = this.log.readModels.get(chatsProjection, input.chatId);
    const state = this.live.get(input.chatId)?.actor.getSnapshot().context.chat ?? existing;
    const decision = decide(state ?? null, { type: "CREATE", chat: input }, this.decideContext());
    if (!decision.ok) return decision;
    if (existing && decision.events.length === 0)
      return { ok: true, value: { chat: existing, created: false } };
    const result = appendToStream(this.log, `chat:${input.chatId}`, decision.events, {
      expectedVersion: "no_stream",
    });
    if (!result.ok) {
      return {
        ok: false,
        error: { code: "chat_exists", message: `chat "${input.chatId}" already exists` },
      };
    }
    const chat = this.log.readModels.get(chatsProjection, input.chatId);
    if (!chat) throw new Error("chat.created committed but its read model is missing");
    this.spawn(chat);
    return { ok: true, value: { chat, created: true } };
  }

  /** Queues a message; a message id posted before is answered from what it was posted with. */
  post(chatId: string, message: PostMessage): ChatResult<{ created: boolean }> {
    if (this.stopping) return this.shuttingDown();
    const live = this.alive(chatId);
    if (!live.ok) return live;
    const command: ChatCommand = {
      type: "MESSAGE",
      message,
      sentText: postedText(this.log, chatId, message.messageId),
    };
    const state = live.value.actor.getSnapshot().context.chat;
    const decision = decide(state, command, this.decideContext());
    if (!decision.ok) return decision;
    if (decision.events.length === 0) return { ok: true, value: { created: false } };
    live.value.actor.send(command);
    return { ok: true, value: { created: true } };
  }

  /**
   * The client's answer to an approval request, decided against the recorded request
   * (decide-approval-answer.ts); a fitting answer to a pending one is recorded by the chat's
   * actor, which relays it to the agent. The outcome is read back from the record: a timeout
   * that resolved the request first makes the answer a conflict.
   */
  answer(
    chatId: string,
    approvalId: string,
    answer: ApprovalAnswer,
  ): ChatResult<ApprovalAnswerOutcome> {
    const live = this.alive(chatId);
    if (!live.ok) return live;
    const id = approvalDocId(chatId, approvalId);
    const outcome = decideApprovalAnswer(
      this.log.readModels.get(chatApprovalsProjection, id),
      answer,
    );
    if (outcome.outcome !== "resolve") return { ok: true, value: outcome };
    live.value.actor.send({ type: "ANSWER", resolved: outcome.resolved });
    const after = decideApprovalAnswer(
      this.log.readModels.get(chatApprovalsProjection, id),
      answer,
    );
    return { ok: true, value: after.outcome === "unchanged" ? outcome : after };
  }

  /** Asks the running turn to stop; does nothing when the chat is idle or already stopping. */
  interrupt(chatId: string): ChatResult<{ turnId: string | null }> {
    const live = this.alive(chatId);
    if (!live.ok) return live;
    const { actor } = live.value;
    const turn = actor.getSnapshot().context.chat.currentTurn;
    actor.send({ type: "INTERRUPT" });
    return { ok: true, value: { turnId: turn?.turnId ?? null } };
  }

  async delete(chatId: string): Promise<ChatResult<Record<string, never>>> {
    const alive = this.alive(chatId);
    if (!alive.ok) return alive;
    const live = alive.value;
    const provider = this.options.providers[live.actor.getSnapshot().context.chat.provider];
    live.actor.send({ type: "DELETE" });
    live.recorder.flush();
    this.live.delete(chatId);
    await provider.releaseChat(chatId);
    return { ok: true, value: {} };
  }

  /** Hears of every turn that ended (after its end is recorded): the workspace rescans then. */
  onTurnEnded(listener: (chatId: string) => void): () => void {
    this.turnEndedListeners.add(listener);
    return () => this.turnEndedListeners.delete(listener);
  }

  /** Every live actor's state and context, for the debug endpoint. */
  inspectActors() {
    return [...this.live.entries()].map(([chatId, { actor }]) => {
      const snapshot = actor.getSnapshot();
      const { timing: _timing, ...context } = snapshot.context;
      return { chatId, status: snapshot.status, value: snapshot.value, context };
    });
  }

  /**
   * Stops taking commands, stops every running turn (bounded by the machine's own escalation)
   * and waits for the actors to settle, then stops the providers' processes.
   */
  async shutdown(): Promise<void> {
    this.stopping = true;
    const settling = [...this.live.values()].map(async ({ actor, recorder }) => {
      actor.send({ type: "SHUTDOWN" });
      await toPromise(actor).catch(() => undefined);
      recorder.flush();
    });
    await Promise.all(settling);
    this.live.clear();
    await Promise.all(Object.values(this.options.providers).map((p) => p.shutdown()));
  }

  /** A live chat whose actor still takes commands; one that stopped on an error refuses them. */
  private alive(chatId: string): ChatResult<LiveChat> {
    const live = this.live.get(chatId);
    if (!live) return notFound(chatId);
    if (live.actor.getSnapshot().status !== "active") {
      return {
        ok: false,
        error: {
          code: "chat_unavailable",
          message: `chat "${chatId}" stopped after an internal error and takes no commands; restart the engine to recover it`,
        },
      };
    }
    return { ok: true, value: live };
  }

  private decideContext() {
    return {
      at: this.log.now().toISOString(),
      stop: { reason: null, shuttingDown: this.stopping },
      approvalTimeoutMs: this.options.timing.approvalTimeoutMs,
    };
  }

  private shuttingDown(): ChatResult<never> {
    return { ok: false, error: { code: "shutting_down", message: "the engine is shutting down" } };
  }

  private spawn(chat: ChatDoc): void {
    const { timing, logger, inspect } = this.options;
    const provider = this.options.providers[chat.provider];
    const recorder = new ChatRecorder(this.log, chat.chatId, logger);
    const machine = chatMachine.provide({ actors: { providerTurn: providerTurn(provider) } });
    const actor = createActor(machine, {
      id: `chat:${chat.chatId}`,
      input: {
        chat: chatState(chat),
        timing: { ...timing, now: () => this.log.now() },
        defaults: this.options.defaults?.[chat.provider] ?? {},
      },
      inspect,
    });
    actor.on("record", ({ event }) => {
      try {
        recorder.record(event);
      } catch (error) {
        logger.error(
          { err: error, chatId: chat.chatId, type: event.type },
          "could not record a chat event",
        );
      }
      if (isTurnEnd(event.type))
        for (const listener of this.turnEndedListeners) listener(chat.chatId);
    });
    actor.subscribe({
      error: (error) => logger.error({ err: error, chatId: chat.chatId }, "chat actor failed"),
    });
    this.live.set(chat.chatId, { actor, recorder });
    actor.start();
  }
}
