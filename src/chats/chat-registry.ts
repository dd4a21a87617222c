import { type Actor, createActor, type InspectionEvent, type Observer, toPromise } from "xstate";
import type { ChatTiming } from "../../actors/chat-context.js";
import {
  type ChatCommand,
  type ChatRejection,
  decide,
  type PostMessage,
} from "../../actors/chat-decider.js";
import { chatMachine } from "../../actors/chat-machine.js";
import { type ChatState, chatState, isTurnEnd } from "../../actors/chat-state.js";
import { providerTurn } from "../../actors/provider-turn.js";
import { approvalDocId, chatApprovalsProjection } from "../../projections/chat-approvals.js";
import { type ChatDoc, chatsProjection, readLiveChat } from "../../projections/chats.js";
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
  /**
   * The machine's timers (its clock is the log's, which stamps the events), and the turn's
   * watchdog: a provider silent this long (outside an approval's wait) has its turn stopped.
   */
  timing: Omit<ChatTiming, "now"> & { watchdogMs: number };
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
 * A chat whose machine acts on its own once started: a queued message to run, or a turn left
 * open (boot recovery closes all but those waiting on a durable request, which resume). A chat
 * without work rests: it needs no actor. (A request waiting for an answer belongs to the open
 * turn.)
 */
const hasWork = (chat: ChatState) =>
  chat.status !== "deleted" && (chat.queue.length > 0 || chat.currentTurn !== null);

/**
 * The chat actors, and the commands the API sends them. What a command records, or why it
 * is refused, is `decide`'s (actors/chat-decider.ts): the registry asks it for the answer it gives the
 * API, from the actor's own state, and sends the actor the commands that record something.
 *
 * A chat's actor lives while the chat is at work: it starts at boot for the chats with work
 * (`hasWork`), and otherwise with the chat's next command, and it is released when the chat
 * rests again (idle, nothing queued). A resting chat is its read model alone (what its actor
 * would start from: every record of the turn that ended is committed by then), so boot and
 * memory grow with the chats at work, not with the chats there are.
 */
export class ChatRegistry {
  private readonly live = new Map<string, LiveChat>();
  private readonly turnEndedListeners = new Set<(chatId: string) => void>();
  /** The chat machine with each agent's provider turn: built once, shared by its chats' actors. */
  private readonly machines: Record<ProviderName, ReturnType<typeof chatMachine.provide>>;
  private stopping = false;

  constructor(private readonly options: ChatRegistryOptions) {
    const machine = (name: ProviderName) =>
      chatMachine.provide({
        actors: {
          providerTurn: providerTurn(options.providers[name], options.timing.watchdogMs),
        },
      });
    this.machines = { claude: machine("claude"), codex: machine("codex") };
  }

  private get log() {
    return this.options.log;
  }

  /** At boot: starts the actors of the chats with work; queued messages start running. */
  startAll(): void {
    for (const chat of this.log.readModels.list(chatsProjection)) {
      if (hasWork(chat)) this.spawn(chat);
    }
  }

  create(input: CreateChat): ChatResult<{ chat: ChatDoc; created: boolean }> {
    if (this.stopping) return this.shuttingDown();
    const existing = this.log.readModels.get(chatsProjection, input.chatId);
    const decision = decide(
      existing ?? null,
      { type: "CREATE", chat: input },
      this.decideContext(),
    );
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
    // Its actor starts with its first command: a new chat is idle with nothing queued.
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

  /**
   * A chat's actor that still takes commands, started from its read model if it has none yet;
   * one that stopped on an error refuses them. Once shutdown has begun none takes any: it has
   * collected the actors it stops (no new one starts behind it), and one it stopped is not
   * broken, so the answer is `shutting_down`, never `chat_unavailable`.
   */
  private alive(chatId: string): ChatResult<LiveChat> {
    if (this.stopping) return this.shuttingDown();
    let live = this.live.get(chatId);
    if (!live) {
      const chat = readLiveChat(this.log.readModels, chatId);
      if (!chat) return notFound(chatId);
      live = this.spawn(chat);
    }
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

  private spawn(chat: ChatDoc): LiveChat {
    const {
      timing: { watchdogMs: _watchdog, ...timing },
      logger,
      inspect,
    } = this.options;
    const recorder = new ChatRecorder(this.log, chat.chatId, logger);
    const actor = createActor(this.machines[chat.provider], {
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
    const live = { actor, recorder };
    actor.subscribe({
      next: () => this.releaseWhenResting(chat.chatId, live),
      error: (error) => logger.error({ err: error, chatId: chat.chatId }, "chat actor failed"),
    });
    this.live.set(chat.chatId, live);
    actor.start();
    // A command that needs no transition (an interrupt of an idle chat) emits no snapshot.
    this.releaseWhenResting(chat.chatId, live);
    return live;
  }

  /**
   * Releases the actor of a chat that rests: idle, without work (`hasWork`). It waits
   * a microtask, because a snapshot is heard inside the actor's transition and the command a
   * chat's actor is started for is sent right after it starts. An actor that stopped on an
   * error stays, so the chat keeps answering `chat_unavailable`.
   */
  private releaseWhenResting(chatId: string, live: LiveChat): void {
    queueMicrotask(() => {
      if (this.stopping || this.live.get(chatId) !== live) return;
      const snapshot = live.actor.getSnapshot();
      if (snapshot.status !== "active" || !snapshot.matches("idle")) return;
      if (hasWork(snapshot.context.chat)) return;
      live.recorder.flush();
      live.actor.stop();
      this.live.delete(chatId);
    });
  }
}
