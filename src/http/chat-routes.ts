import { Hono } from "hono";
import { v7 as uuidv7 } from "uuid";
import { readHistoryPage } from "../../projections/chat-history.js";
import { readMessageStatus } from "../../projections/chat-messages.js";
import { readChatView, readLiveChat, readLiveChatsPage } from "../../projections/chats.js";
import type { AttachmentRef, Resolved } from "../attachments/resolve-attachments.js";
import type { ChatError, ChatRegistry } from "../chats/chat-registry.js";
import { type ReadSide, snapshotAt } from "../read-models/read-side.js";
import { ApiError } from "./api-error.js";
import { approvalRoutes } from "./approval-routes.js";
import { checkCwd } from "./check-cwd.js";
import { parseJsonBody, parseParams, parseQuery } from "./parse-input.js";
import {
  CHATS_PAGE,
  ChatParams,
  ChatsQuery,
  CreateChatBody,
  HistoryQuery,
  InterruptBody,
  PostMessageBody,
} from "./schemas.js";
import { SnapshotCache } from "./snapshot-cache.js";

export interface ChatRouteDeps {
  readSide: ReadSide;
  registry: ChatRegistry;
  /** Resolves a message's attachments against the blob store (copies uploads into the cwd). */
  attachments: (cwd: string, refs: readonly AttachmentRef[]) => Promise<Resolved>;
  /** Where a chat runs when it names no cwd. */
  defaultCwd: string;
}

const statusOf: Record<ChatError["code"], 404 | 409 | 503> = {
  chat_not_found: 404,
  chat_exists: 409,
  message_conflict: 409,
  chat_unavailable: 503,
  shutting_down: 503,
};

function fail(error: ChatError): never {
  throw new ApiError(statusOf[error.code], error.code, error.message);
}

/** Chats: create, list, read, delete, send, interrupt, history, approval answers. Snapshots carry their position. */
export function chatRoutes({ readSide, registry, attachments, defaultCwd }: ChatRouteDeps) {
  const { readModels } = readSide;
  const cache = new SnapshotCache();
  const at = () => snapshotAt(readSide);
  const notFound = (chatId: string): never =>
    fail({ code: "chat_not_found", message: `no chat with id "${chatId}"` });
  /** The chat's own document: enough to check it exists, without its messages' states. */
  const live = (chatId: string) => readLiveChat(readModels, chatId) ?? notFound(chatId);

  return new Hono()
    .post("/chats", async (c) => {
      const body = await parseJsonBody(c, CreateChatBody);
      const cwd = body.cwd ?? defaultCwd;
      await checkCwd(cwd, defaultCwd);
      const result = registry.create({
        chatId: body.chatId ?? uuidv7(),
        provider: body.provider,
        title: body.title,
        cwd,
        settings: body.settings,
      });
      if (!result.ok) fail(result.error);
      return c.json({ ...at(), chat: result.value.chat }, result.value.created ? 201 : 200);
    })
    .get("/chats", (c) => {
      const query = parseQuery(c, ChatsQuery);
      const after = query.after ?? 0;
      const limit = query.limit ?? CHATS_PAGE.default;
      const { position, epoch } = at();
      const bytes = cache.get(`chats?after=${after}&limit=${limit}`, position, () => ({
        position,
        epoch,
        ...readLiveChatsPage(readModels, after, limit),
      }));
      return c.body(bytes, 200, { "content-type": "application/json" });
    })
    .get("/chats/:chatId", (c) => {
      const { chatId } = parseParams(c, ChatParams);
      return c.json({ ...at(), chat: readChatView(readModels, chatId) ?? notFound(chatId) });
    })
    .delete("/chats/:chatId", async (c) => {
      const { chatId } = parseParams(c, ChatParams);
      const result = await registry.delete(chatId);
      if (!result.ok) fail(result.error);
      return c.json({ ...at(), deleted: true });
    })
    .get("/chats/:chatId/history", (c) => {
      const { chatId } = parseParams(c, ChatParams);
      const query = parseQuery(c, HistoryQuery);
      const openTurn = live(chatId).currentTurn?.turnId ?? null;
      const snapshot = at();
      const items = readHistoryPage(
        readModels,
        chatId,
        query.after ?? 0,
        query.limit ?? 1000,
        openTurn,
      );
      return c.json({ ...snapshot, items });
    })
    .post("/chats/:chatId/messages", async (c) => {
      const { chatId } = parseParams(c, ChatParams);
      const body = await parseJsonBody(c, PostMessageBody);
      const messageId = body.messageId ?? uuidv7();
      const resolved = await attachments(live(chatId).cwd, body.attachments);
      if (!resolved.ok) throw new ApiError(400, resolved.error.code, resolved.error.message);
      const result = registry.post(chatId, {
        messageId,
        text: body.text,
        settings: body.settings,
        attachments: resolved.attachments,
      });
      if (!result.ok) fail(result.error);
      const chat = live(chatId);
      const message = readMessageStatus(readModels, chatId, messageId);
      return c.json(
        { ...at(), messageId, state: message?.state ?? "queued", chatStatus: chat.status },
        result.value.created ? 202 : 200,
      );
    })
    .post("/chats/:chatId/interrupt", async (c) => {
      const { chatId } = parseParams(c, ChatParams);
      await parseJsonBody(c, InterruptBody, { optional: true });
      const result = registry.interrupt(chatId);
      if (!result.ok) fail(result.error);
      return c.json(
        { ...at(), interrupting: result.value.turnId !== null, turnId: result.value.turnId },
        202,
      );
    })
    .route("/", approvalRoutes({ readSide, registry, fail }));
}
