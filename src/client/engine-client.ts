import type { HistoryEntry } from "../../projections/chat-history.js";
import type { MessageState } from "../../projections/chat-messages.js";
import type { ChatDoc, ChatsPage, ChatView } from "../../projections/chats.js";
import type { Attachment } from "../attachments/attachment.js";
import type { AttachmentRef } from "../attachments/resolve-attachments.js";
import type { ApprovalAnswer } from "../chats/decide-approval-answer.js";
import type { ChatSettings, ProviderName } from "../events/chat-settings.js";
import { EngineApiError } from "./engine-api-error.js";
import { type EventStreamOptions, streamEngineEvents } from "./event-stream.js";

export interface Snapshot {
  position: number;
  epoch: string;
}

export interface ClientOptions {
  baseUrl: string;
  secret: string;
}

/** `?after=&limit=` of a paged route, with only the parts given. */
function pageQuery(page: { after?: number; limit?: number }): string {
  const query = new URLSearchParams();
  if (page.after !== undefined) query.set("after", String(page.after));
  if (page.limit !== undefined) query.set("limit", String(page.limit));
  return query.size ? `?${query}` : "";
}

/** A typed client of the engine's HTTP API; error answers throw EngineApiError. */
export class EngineClient {
  constructor(readonly options: ClientOptions) {}

  request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.send<T>(
      method,
      path,
      body === undefined ? undefined : { body: JSON.stringify(body), type: "application/json" },
    );
  }

  private async send<T>(
    method: string,
    path: string,
    content?: { body: Uint8Array<ArrayBuffer> | string; type: string },
  ): Promise<T> {
    const response = await fetch(new URL(path, this.options.baseUrl), {
      method,
      headers: {
        "x-replicas-engine-secret": this.options.secret,
        ...(content ? { "content-type": content.type } : {}),
      },
      body: content?.body,
    });
    const payload = (await response.json()) as T & {
      error?: { code: string; message: string; details?: unknown };
    };
    if (!response.ok) {
      const error = payload.error ?? { code: "http_error", message: response.statusText };
      throw new EngineApiError(response.status, error.code, error.message, error.details);
    }
    return payload;
  }

  health() {
    return this.request<{ status: "ok" | "initializing"; version: string }>("GET", "/health");
  }

  status() {
    return this.request<Snapshot & Record<string, unknown>>("GET", "/status");
  }

  createChat(input: {
    provider: ProviderName;
    chatId?: string;
    title?: string | null;
    cwd?: string;
    settings?: ChatSettings;
  }) {
    return this.request<Snapshot & { chat: ChatDoc }>("POST", "/chats", input);
  }

  /** One page of the chats, oldest first: pass its `next` as `after` for the following page. */
  listChats(page: { after?: number; limit?: number } = {}) {
    return this.request<Snapshot & ChatsPage>("GET", `/chats${pageQuery(page)}`);
  }

  /** Every page of the chats, from the first to the one whose `next` is null. */
  async *chatPages(limit?: number): AsyncGenerator<Snapshot & ChatsPage> {
    let after: number | undefined;
    do {
      const page = await this.listChats({ after, limit });
      yield page;
      after = page.next ?? undefined;
    } while (after !== undefined);
  }

  /** Every chat not deleted, paging through (each as its page saw it), oldest first. */
  async allChats(): Promise<ChatDoc[]> {
    const chats: ChatDoc[] = [];
    for await (const page of this.chatPages()) chats.push(...page.chats);
    return chats;
  }

  getChat(chatId: string) {
    return this.request<Snapshot & { chat: ChatView }>(
      "GET",
      `/chats/${encodeURIComponent(chatId)}`,
    );
  }

  deleteChat(chatId: string) {
    return this.request<Snapshot & { deleted: true }>(
      "DELETE",
      `/chats/${encodeURIComponent(chatId)}`,
    );
  }

  history(chatId: string, options: { after?: number; limit?: number } = {}) {
    return this.request<Snapshot & { items: (HistoryEntry & { position: number })[] }>(
      "GET",
      `/chats/${encodeURIComponent(chatId)}/history${pageQuery(options)}`,
    );
  }

  /** Uploads a file's bytes (at most 20 MiB); the same bytes and type answer the same id. */
  uploadAttachment(bytes: Uint8Array<ArrayBuffer>, mediaType: string) {
    return this.send<{ attachment: Attachment }>("POST", "/attachments", {
      body: bytes,
      type: mediaType,
    });
  }

  sendMessage(
    chatId: string,
    input: {
      text: string;
      messageId?: string;
      settings?: ChatSettings;
      attachments?: AttachmentRef[];
    },
  ) {
    return this.request<Snapshot & { messageId: string; state: MessageState; chatStatus: string }>(
      "POST",
      `/chats/${encodeURIComponent(chatId)}/messages`,
      input,
    );
  }

  /** Answers an agent's request (approve or refuse a tool, answer a question, review a plan). */
  answerApproval(
    chatId: string,
    approvalId: string,
    answer: Omit<ApprovalAnswer, "scope"> & { scope?: ApprovalAnswer["scope"] },
  ) {
    return this.request<Snapshot & { resolution: unknown }>(
      "POST",
      `/chats/${encodeURIComponent(chatId)}/approvals/${encodeURIComponent(approvalId)}`,
      answer,
    );
  }

  interrupt(chatId: string) {
    return this.request<Snapshot & { interrupting: boolean; turnId: string | null }>(
      "POST",
      `/chats/${encodeURIComponent(chatId)}/interrupt`,
    );
  }

  get<T = unknown>(path: string) {
    return this.request<T>("GET", path);
  }

  /** The event log as an async iterable that reconnects and resumes by itself. */
  events(options: EventStreamOptions = {}) {
    return streamEngineEvents(this.options, options);
  }
}
