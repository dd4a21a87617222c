import type { ApprovalResolver } from "../src/events/approval-events.js";
import type { MessageAttachment } from "../src/events/canonical-item.js";
import type { EventData, NewEvent } from "../src/events/catalogue.js";
import { type StopReason, type TurnEndType, turnEndTypes } from "../src/events/chat-events.js";
import type { ChatSettings, ProviderName } from "../src/events/chat-settings.js";
import {
  isTerminalOutput,
  type ProviderOutput,
  type TerminalOutput,
} from "../src/providers/provider.js";
import { type OpenTurn, type TurnStop, turnOutcome } from "./turn-outcome.js";

/**
 * One chat's write side, Emmett style: its events (src/events/chat-events.ts), the state they
 * fold into (`evolve`) and what a command records (`decide`), side by side. The chat machine
 * keeps this state in its context and the `chats` projection extends it, both through `evolve`,
 * so "record X, so the state becomes Y" is written only here.
 */

/** `awaiting_approval`: the turn runs but waits for an answer to one of its requests. */
export type ChatStatus = "idle" | "running" | "awaiting_approval" | "interrupting" | "deleted";

type Requested = EventData<"chat.approval.requested">;
type Resolved = EventData<"chat.approval.resolved">;

/** A request of the open turn still waiting for its answer. */
export type PendingApproval = Requested & { requestedAt: string };

export interface QueuedMessage {
  messageId: string;
  text: string;
  settings: ChatSettings;
  /** Absent when the message has none. */
  attachments?: MessageAttachment[];
  queuedAt: string;
}

export interface ChatState {
  chatId: string;
  provider: ProviderName;
  title: string | null;
  cwd: string;
  settings: ChatSettings;
  status: ChatStatus;
  /** The agent's own session/thread id, used to resume its conversation. */
  sessionId: string | null;
  currentTurn: OpenTurn | null;
  /** Messages waiting for their turn, in the order they run. */
  queue: QueuedMessage[];
  /** The open turn's requests waiting for an answer, oldest first. */
  pendingApprovals: PendingApproval[];
}

export type ChatRecord = Extract<NewEvent, { type: `chat.${string}` }>;
type Created = Extract<ChatRecord, { type: "chat.created" }>["data"];

export interface PostMessage {
  messageId: string;
  text: string;
  settings: ChatSettings;
  attachments?: MessageAttachment[];
}

/** The attachments field of a message or a turn: left out when there are none. */
const withAttachments = (attachments: MessageAttachment[] | undefined) =>
  attachments?.length ? { attachments } : {};

/** What is asked of a chat: by the API, by the provider's turn, or by the machine's own timers. */
export type ChatCommand =
  | { type: "CREATE"; chat: Created }
  /** `sentText`: the text first posted under this message id, if it was posted before. */
  | { type: "MESSAGE"; message: PostMessage; sentText: string | null }
  | { type: "START" }
  | { type: "PROVIDER"; output: ProviderOutput }
  /** The client's answer to a pending request (decided by the answer route, decide-approval-answer.ts). */
  | { type: "ANSWER"; resolved: Resolved }
  /** Resolve the requests whose time is up (`by: timeout`). */
  | { type: "EXPIRE" }
  | { type: "INTERRUPT" }
  /** Record that the open turn is being stopped, and why. */
  | { type: "STOP"; reason: StopReason }
  /** The provider never answered the escalation: end the turn without it. */
  | { type: "GIVE_UP" }
  | { type: "DELETE" }
  | { type: "SHUTDOWN" };

export type ChatRejection = {
  code: "chat_not_found" | "chat_exists" | "message_conflict";
  message: string;
};

export type ChatDecision = { ok: true; events: ChatRecord[] } | { ok: false; error: ChatRejection };

/** When the command is decided (the log's clock) and why the open turn is being stopped. */
export interface DecideContext {
  at: string;
  stop: TurnStop;
  /** How long a request waits when the chat's settings do not say (REPLICAS_APPROVAL_TIMEOUT_MS). */
  approvalTimeoutMs: number;
}

export const isTurnEnd = (type: string): type is TurnEndType =>
  (turnEndTypes as readonly string[]).includes(type);

/** The state a chat starts in. */
export const createdChat = (data: Created): ChatState => ({
  chatId: data.chatId,
  provider: data.provider,
  title: data.title,
  cwd: data.cwd,
  settings: data.settings,
  status: "idle",
  sessionId: null,
  currentTurn: null,
  queue: [],
  pendingApprovals: [],
});

/** Only the chat's own state, out of a document that extends it (the `chats` read model). */
export const chatState = (doc: ChatState): ChatState => ({
  chatId: doc.chatId,
  provider: doc.provider,
  title: doc.title,
  cwd: doc.cwd,
  settings: doc.settings,
  status: doc.status,
  sessionId: doc.sessionId,
  currentTurn: doc.currentTurn,
  queue: doc.queue,
  pendingApprovals: doc.pendingApprovals,
});

/** While its turn runs, a chat with a pending request is awaiting the answer. */
const withApprovals = <S extends ChatState>(state: S, pendingApprovals: PendingApproval[]): S => {
  const waiting = state.status === "running" || state.status === "awaiting_approval";
  if (!waiting) return { ...state, pendingApprovals };
  return {
    ...state,
    pendingApprovals,
    status: pendingApprovals.length ? "awaiting_approval" : "running",
  };
};

const without = (queue: QueuedMessage[], messageId: string) =>
  queue.filter((m) => m.messageId !== messageId);

/** The next state after one of the chat's events, recorded at `at`. */
export function evolve<S extends ChatState>(state: S, event: ChatRecord, at: string): S {
  switch (event.type) {
    case "chat.deleted":
      return { ...state, status: "deleted", queue: [] };
    case "chat.message.queued": {
      const { messageId, text, settings, attachments } = event.data;
      const queued = { messageId, text, settings, ...withAttachments(attachments), queuedAt: at };
      return { ...state, queue: [...state.queue, queued] };
    }
    case "chat.message.dropped":
      return { ...state, queue: without(state.queue, event.data.messageId) };
    case "chat.turn.started": {
      const { turnId, messageId } = event.data;
      return {
        ...state,
        status: "running",
        currentTurn: { turnId, messageId, startedAt: at },
        queue: without(state.queue, messageId),
      };
    }
    case "chat.session.updated":
      return { ...state, sessionId: event.data.sessionId };
    case "chat.approval.requested":
      return withApprovals(state, [...state.pendingApprovals, { ...event.data, requestedAt: at }]);
    case "chat.approval.resolved":
      return withApprovals(
        state,
        state.pendingApprovals.filter((a) => a.approvalId !== event.data.approvalId),
      );
    case "chat.turn.interrupting":
      return state.status === "running" || state.status === "awaiting_approval"
        ? { ...state, status: "interrupting" }
        : state;
    case "chat.turn.completed":
    case "chat.turn.failed":
    case "chat.turn.interrupted":
      return {
        ...state,
        status: state.status === "deleted" ? "deleted" : "idle",
        currentTurn: null,
        pendingApprovals: [],
      };
    default:
      return state;
  }
}

const accept = (...events: ChatRecord[]): ChatDecision => ({ ok: true, events });
const reject = (code: ChatRejection["code"], message: string): ChatDecision => ({
  ok: false,
  error: { code, message },
});

function decideCreate(state: ChatState | null, chat: Created): ChatDecision {
  if (!state) return accept({ type: "chat.created", data: chat });
  if (state.status === "deleted")
    return reject("chat_exists", `chat "${chat.chatId}" was deleted; chat ids are not reused`);
  const same =
    state.provider === chat.provider &&
    state.cwd === chat.cwd &&
    state.title === chat.title &&
    JSON.stringify(state.settings) === JSON.stringify(chat.settings);
  return same
    ? accept()
    : reject("chat_exists", `chat "${chat.chatId}" already exists with other settings`);
}

/** A message id is posted once: again with the same text it records nothing, in any state. */
function decideMessage(
  state: ChatState,
  { message, sentText }: Extract<ChatCommand, { type: "MESSAGE" }>,
): ChatDecision {
  const sent = state.queue.find((m) => m.messageId === message.messageId)?.text ?? sentText;
  if (sent === null) {
    const { messageId, text, settings, attachments } = message;
    return accept({
      type: "chat.message.queued",
      data: { chatId: state.chatId, messageId, text, settings, ...withAttachments(attachments) },
    });
  }
  return sent === message.text
    ? accept()
    : reject(
        "message_conflict",
        `message "${message.messageId}" was already sent with another text; send new text under a new messageId`,
      );
}

function decideStart(state: ChatState): ChatDecision {
  const next = state.queue[0];
  if (!next || state.currentTurn || state.status !== "idle") return accept();
  return accept({
    type: "chat.turn.started",
    data: {
      chatId: state.chatId,
      turnId: `turn_${next.messageId}`,
      messageId: next.messageId,
      text: next.text,
      settings: next.settings,
      resumeSessionId: state.sessionId,
      ...withAttachments(next.attachments),
    },
  });
}

/** Who resolves the pending requests when the turn is stopped for this reason. */
const stopResolver: Record<StopReason, ApprovalResolver> = {
  user: "interrupt",
  watchdog: "interrupt",
  chat_deleted: "delete",
  shutdown: "shutdown",
  engine_restart: "engine_restart",
};

/** The engine resolves requests on the client's behalf: always a deny, with the engine's words. */
export function resolveApprovals(
  state: ChatState,
  by: ApprovalResolver,
  approvals: PendingApproval[] = state.pendingApprovals,
): ChatRecord[] {
  return approvals.map(({ approvalId, chatId, turnId }) => ({
    type: "chat.approval.resolved",
    data: {
      approvalId,
      chatId,
      turnId,
      decision: "deny",
      by,
      message: null,
      updatedInput: null,
      scope: "once",
      answers: null,
    },
  }));
}

/** A turn's end resolves what it still waits for first (no answer can reach it afterwards). */
function endTurn(
  state: ChatState,
  output: TerminalOutput | null,
  { at, stop }: DecideContext,
): ChatRecord[] {
  const turn = state.currentTurn;
  if (!turn) return [];
  const by = stop.shuttingDown ? "shutdown" : stopResolver[stop.reason ?? "user"];
  return [
    ...resolveApprovals(state, by),
    turnOutcome(state.chatId, turn, output, stop, at) as ChatRecord,
  ];
}

/** A request of the open turn, once; it expires after the chat's (or the engine's) timeout. */
function decideApproval(
  state: ChatState,
  ask: Extract<ProviderOutput, { kind: "approval" }>["ask"],
  { at, approvalTimeoutMs }: DecideContext,
): ChatDecision {
  const turn = state.currentTurn;
  if (!turn || state.pendingApprovals.some((a) => a.approvalId === ask.approvalId)) return accept();
  const timeoutMs = state.settings.approvalTimeoutMs ?? approvalTimeoutMs;
  return accept({
    type: "chat.approval.requested",
    data: {
      ...ask,
      chatId: state.chatId,
      turnId: turn.turnId,
      expiresAt: new Date(Date.parse(at) + timeoutMs).toISOString(),
    },
  });
}

/** The open turn waits only on requests that outlive the agent's process (see `durable`). */
export const waitsDurably = (state: ChatState): boolean =>
  state.currentTurn !== null &&
  state.pendingApprovals.length > 0 &&
  state.pendingApprovals.every((a) => a.durable === true);

/** When the oldest-expiring pending request times out; null when none is pending. */
export function nextExpiry(state: ChatState): string | null {
  const times = state.pendingApprovals.flatMap((a) => (a.expiresAt ? [a.expiresAt] : []));
  return times.length ? times.reduce((a, b) => (a < b ? a : b)) : null;
}

/** What a provider output records: its end, a new session id, streamed text, a final item. */
function decideOutput(
  state: ChatState,
  output: ProviderOutput,
  context: DecideContext,
): ChatDecision {
  const turn = state.currentTurn;
  if (!turn) return accept();
  if (isTerminalOutput(output)) return accept(...endTurn(state, output, context));
  const { chatId } = state;
  const { turnId } = turn;
  switch (output.kind) {
    case "session":
      return output.sessionId === state.sessionId
        ? accept()
        : accept({
            type: "chat.session.updated",
            data: { chatId, turnId, sessionId: output.sessionId },
          });
    case "delta":
      return accept({
        type: "chat.item.delta",
        data: { chatId, turnId, itemId: output.itemId, kind: output.itemKind, text: output.text },
      });
    case "item":
      return accept({
        type: "chat.item.added",
        data: { chatId, turnId, itemId: output.itemId, item: output.item },
      });
    case "approval":
      return decideApproval(state, output.ask, context);
    default:
      return accept();
  }
}

/** Deleting ends the open turn (the agent is killed, no `interrupting` step), drops the queue. */
function decideDelete(state: ChatState, context: DecideContext): ChatDecision {
  const stop = { ...context.stop, reason: context.stop.reason ?? "chat_deleted" };
  return accept(
    ...endTurn(state, null, { ...context, stop }),
    ...state.queue.map(
      (m): ChatRecord => ({
        type: "chat.message.dropped",
        data: { chatId: state.chatId, messageId: m.messageId, reason: "chat_deleted" },
      }),
    ),
    { type: "chat.deleted", data: { chatId: state.chatId } },
  );
}

/** What a command records, or why it is refused. Pure: the same state and command, the same answer. */
export function decide(
  state: ChatState | null,
  command: ChatCommand,
  context: DecideContext,
): ChatDecision {
  if (command.type === "CREATE") return decideCreate(state, command.chat);
  if (!state || state.status === "deleted")
    return reject("chat_not_found", state ? `no chat with id "${state.chatId}"` : "no such chat");
  switch (command.type) {
    case "MESSAGE":
      return decideMessage(state, command);
    case "START":
      return decideStart(state);
    case "PROVIDER":
      return decideOutput(state, command.output, context);
    case "ANSWER": {
      // Only a pending request takes the answer; the answer route told the client otherwise.
      const pending = state.pendingApprovals.some(
        (a) => a.approvalId === command.resolved.approvalId,
      );
      return pending
        ? accept({ type: "chat.approval.resolved", data: command.resolved })
        : accept();
    }
    case "EXPIRE":
      return accept(
        ...resolveApprovals(
          state,
          "timeout",
          state.pendingApprovals.filter((a) => a.expiresAt !== null && a.expiresAt <= context.at),
        ),
      );
    case "STOP":
      return state.currentTurn
        ? accept(...resolveApprovals(state, stopResolver[command.reason]), {
            type: "chat.turn.interrupting",
            data: {
              chatId: state.chatId,
              turnId: state.currentTurn.turnId,
              reason: command.reason,
            },
          })
        : accept();
    case "GIVE_UP":
      return accept(...endTurn(state, null, context));
    case "DELETE":
      return decideDelete(state, context);
    case "INTERRUPT":
    case "SHUTDOWN":
      // How a stop unfolds (escalation, waiting for the turn) is the machine's; it records
      // through STOP and the turn's end.
      return accept();
  }
}
