import type { MessageAttachment } from "../src/events/canonical-item.js";
import type { EventData } from "../src/events/catalogue.js";
import type { StopReason } from "../src/events/chat-events.js";
import type { ChatSettings } from "../src/events/chat-settings.js";
import {
  isTerminalOutput,
  type ProviderOutput,
  type TerminalOutput,
} from "../src/providers/provider.js";
import {
  answerApproval,
  endResolver,
  expireApprovals,
  requestApproval,
  resolveApprovals,
  stopResolver,
} from "./approval-decisions.js";
import { type ChatRecord, type ChatState, type Created, withAttachments } from "./chat-state.js";
import { type TurnStop, turnOutcome } from "./turn-outcome.js";

/**
 * What a command asks of one chat, Emmett style: `decide(state, command)` gives the events it
 * records or why it is refused. The state and its fold (`evolve`) are chat-state.ts's; what the
 * approval requests record is approval-decisions.ts's. The chat machine and the registry ask
 * `decide`, and record what it answers.
 */

export interface PostMessage {
  messageId: string;
  text: string;
  settings: ChatSettings;
  attachments?: MessageAttachment[];
}

/** What is asked of a chat: by the API, by the provider's turn, or by the machine's own timers. */
export type ChatCommand =
  | { type: "CREATE"; chat: Created }
  /** `sentText`: the text first posted under this message id, if it was posted before. */
  | { type: "MESSAGE"; message: PostMessage; sentText: string | null }
  | { type: "START" }
  | { type: "PROVIDER"; output: ProviderOutput }
  /** The client's answer to a pending request (decided by the answer route, decide-approval-answer.ts). */
  | { type: "ANSWER"; resolved: EventData<"chat.approval.resolved"> }
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

/**
 * A turn's end, stopped as `stop` says (`output` null: the provider never answered). It resolves
 * what the turn still waits for first: no answer can reach it afterwards. Boot recovery ends the
 * turns a previous run left open with it too (src/chats/recover-chats.ts).
 */
export function endTurn(
  state: ChatState,
  output: TerminalOutput | null,
  stop: TurnStop,
  at: string,
): ChatRecord[] {
  const turn = state.currentTurn;
  if (!turn) return [];
  return [
    ...resolveApprovals(state, endResolver(stop)),
    turnOutcome(state.chatId, turn, output, stop, at) as ChatRecord,
  ];
}

/** What a provider output records: its end, a new session id, streamed text, a final item. */
function decideOutput(
  state: ChatState,
  output: ProviderOutput,
  context: DecideContext,
): ChatDecision {
  const turn = state.currentTurn;
  if (!turn) return accept();
  if (isTerminalOutput(output)) return accept(...endTurn(state, output, context.stop, context.at));
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
      return accept(...requestApproval(state, output.ask, context.at, context.approvalTimeoutMs));
    default:
      return accept();
  }
}

/**
 * Deleting ends the open turn (the agent is killed, no `interrupting` step), drops the queue.
 * The delete's reason wins over a stop already under way (an interrupt, the watchdog): the turn
 * ends because the chat is gone, not because of the stop it outran.
 */
function decideDelete(state: ChatState, context: DecideContext): ChatDecision {
  const stop = { ...context.stop, reason: "chat_deleted" as const };
  return accept(
    ...endTurn(state, null, stop, context.at),
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
    case "ANSWER":
      return accept(...answerApproval(state, command.resolved));
    case "EXPIRE":
      return accept(...expireApprovals(state, context.at));
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
      return accept(...endTurn(state, null, context.stop, context.at));
    case "DELETE":
      return decideDelete(state, context);
    case "INTERRUPT":
    case "SHUTDOWN":
      // How a stop unfolds (escalation, waiting for the turn) is the machine's; it records
      // through STOP and the turn's end.
      return accept();
  }
}
