import { chatMessagesProjection, messageDocId } from "../../projections/chat-messages.js";
import { readEventsBatch } from "../log/read-events-batch.js";
import type { EngineLog } from "../read-models/open-engine-log.js";

/**
 * The text a message id was first posted with, or null if it never was. A message's document
 * begins at its `chat.message.queued`, which holds the text; the document itself does not, so
 * the chat's snapshot stays small.
 */
export function postedText(
  log: Pick<EngineLog, "db" | "readModels">,
  chatId: string,
  messageId: string,
): string | null {
  const doc = log.readModels.documents.get(
    chatMessagesProjection.name,
    messageDocId(chatId, messageId),
  );
  if (!doc) return null;
  const [row] = readEventsBatch(log.db, {
    after: doc.firstPosition - 1,
    until: doc.firstPosition,
    limit: 1,
  });
  if (row?.type !== "chat.message.queued") return null;
  return (JSON.parse(row.data) as { text: string }).text;
}
