import { readFile } from "node:fs/promises";
import type { MessageAttachment } from "../../events/canonical-item.js";
import type { TurnRequest } from "../provider.js";

/** The parts of a turn request that make the message the agent receives. */
export type AttachedMessage = Pick<TurnRequest, "text" | "attachments">;

const IMAGE = /^image\/(png|jpeg|gif|webp)$/;

export const isImageAttachment = (attachment: MessageAttachment) =>
  IMAGE.test(attachment.mediaType);

/**
 * The message's text as the agent reads it: the user's words, then the files it can open with
 * its own tools (images go as image input instead, so they are not listed).
 */
export function messageText({ text, attachments }: AttachedMessage): string {
  const files = attachments.filter((a) => !isImageAttachment(a));
  if (files.length === 0) return text;
  const lines = files.map((a) => `- ${a.path} (${a.name}, ${a.mediaType}, ${a.size} bytes)`);
  return `${text}\n\nAttached files:\n${lines.join("\n")}`;
}

export interface ImageInput {
  mediaType: string;
  path: string;
  /** The bytes, base64: read without blocking the event loop. */
  base64: () => Promise<string>;
}

/** The message's images, in order, for an agent's image input. */
export const imageInputs = ({ attachments }: AttachedMessage): ImageInput[] =>
  attachments.filter(isImageAttachment).map((a) => ({
    mediaType: a.mediaType,
    path: a.path,
    base64: async () => (await readFile(a.path)).toString("base64"),
  }));
