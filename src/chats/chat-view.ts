import { chatMessagesProjection, type MessageStatus } from "../../projections/chat-messages.js";
import type { ChatDoc } from "../../projections/chats.js";
import type { ReadModels } from "../read-models/read-models.js";

/** How many of a chat's messages its snapshot shows (the newest); the log keeps them all. */
export const RECENT_MESSAGES = 100;

/** A chat as GET /chats/:chatId serves it: its document and its recent messages' states. */
export type ChatView = ChatDoc & { messages: MessageStatus[] };

export function chatView(readModels: ReadModels, chat: ChatDoc): ChatView {
  return {
    ...chat,
    messages: readModels.latestInGroup(chatMessagesProjection, chat.chatId, RECENT_MESSAGES),
  };
}
