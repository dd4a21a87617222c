import type { Projection } from "./projection.js";
import type { ReadModelReader } from "./read-model-reader.js";

/** That some message named this attachment (the document's id): its bytes are kept for good. */
export interface AttachmentRef {
  /** The chat whose message first named it. */
  chatId: string;
}

/**
 * The attachments the log refers to, one document each. Events are never removed, so a blob
 * that a message named stays; the sweep removes only uploads no message ever named.
 */
export const attachmentRefsProjection: Projection<AttachmentRef, "chat.message.queued"> = {
  name: "attachment-refs",
  version: 1,
  cached: false,
  handles: ["chat.message.queued"],
  documentsOf: (event) => (event.data.attachments ?? []).map((a) => ({ id: a.id, group: "" })),
  evolve: (doc, event) => doc ?? { chatId: event.data.chatId },
};

/** Does any event refer to this attachment? */
export const isAttachmentReferenced = (reader: ReadModelReader, attachmentId: string): boolean =>
  reader.get(attachmentRefsProjection, attachmentId) !== undefined;
