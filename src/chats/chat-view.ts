import { type ChatDoc, type ChatView, readChatView } from "../../projections/chats.js";
import type { ReadModelReader } from "../../projections/read-model-reader.js";

// The chat snapshot is the chats projection's own query now; these names stay until
// ChatRegistry.chat and its test read it from there.
export { type ChatView, RECENT_MESSAGES } from "../../projections/chats.js";

export const chatView = (reader: ReadModelReader, chat: ChatDoc): ChatView | undefined =>
  readChatView(reader, chat.chatId);
