import { toJsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";
import { AttachmentParams } from "../attachments/attachment.js";
import { ACCEPTED_MEDIA_TYPES } from "../attachments/media-types.js";
import { ApprovalAnswerBody, ApprovalParams } from "./approval-schemas.js";
import {
  ChatParams,
  ChatsQuery,
  CreateChatBody,
  EventsQuery,
  HistoryQuery,
  InterruptBody,
  PlanParams,
  PostMessageBody,
  ReposQuery,
} from "./schemas.js";

type Schema = v.GenericSchema<unknown, unknown>;

interface Operation {
  method: "get" | "post" | "delete";
  path: string;
  summary: string;
  params?: Schema;
  query?: Schema;
  body?: Schema;
  /** Media types of a raw (non-JSON) request body. */
  rawBody?: readonly string[];
  success: number;
  public?: boolean;
}

/** Every route of the API. A test checks this table against the routes the app really serves. */
export const operations: Operation[] = [
  {
    method: "get",
    path: "/health",
    summary: "Liveness and readiness (no secret needed)",
    success: 200,
    public: true,
  },
  {
    method: "get",
    path: "/status",
    summary: "Engine, chats, log, projections, providers, workspace and upstream state",
    success: 200,
  },
  {
    method: "get",
    path: "/token-refresh/health",
    summary: "State of each credential refresh manager",
    success: 200,
  },
  {
    method: "get",
    path: "/debug/actors",
    summary: "Current snapshot of the actor of every chat at work",
    success: 200,
  },
  { method: "get", path: "/openapi.json", summary: "This document", success: 200 },
  {
    method: "post",
    path: "/chats",
    summary: "Create a chat (idempotent with a chatId)",
    body: CreateChatBody,
    success: 201,
  },
  {
    method: "get",
    path: "/chats",
    summary: "A page of the chats, oldest first; `next` is the `after` of the next page",
    query: ChatsQuery,
    success: 200,
  },
  {
    method: "get",
    path: "/chats/{chatId}",
    summary: "Read one chat",
    params: ChatParams,
    success: 200,
  },
  {
    method: "delete",
    path: "/chats/{chatId}",
    summary: "Delete a chat, stopping its turn and dropping its queue",
    params: ChatParams,
    success: 200,
  },
  {
    method: "get",
    path: "/chats/{chatId}/history",
    summary: "The chat's items in order",
    params: ChatParams,
    query: HistoryQuery,
    success: 200,
  },
  {
    method: "post",
    path: "/chats/{chatId}/messages",
    summary: "Send a message (queued while a turn runs)",
    params: ChatParams,
    body: PostMessageBody,
    success: 202,
  },
  {
    method: "post",
    path: "/chats/{chatId}/interrupt",
    summary: "Interrupt the running turn (idempotent)",
    params: ChatParams,
    body: InterruptBody,
    success: 202,
  },
  {
    method: "post",
    path: "/chats/{chatId}/approvals/{approvalId}",
    summary:
      "Answer an agent's approval request (202 recorded, 200 the same answer again, 409 approval_resolved)",
    params: ApprovalParams,
    body: ApprovalAnswerBody,
    success: 202,
  },
  { method: "get", path: "/plans", summary: "List the agents' plan files", success: 200 },
  {
    method: "get",
    path: "/plans/{filename}",
    summary: "Read one plan",
    params: PlanParams,
    success: 200,
  },
  {
    method: "get",
    path: "/repos",
    summary: "The workspace's git repositories",
    query: ReposQuery,
    success: 200,
  },
  { method: "get", path: "/hooks/status", summary: "Start hooks and their state", success: 200 },
  {
    method: "get",
    path: "/hooks/log",
    summary: "The end of the start hooks' output (the last 256 KiB of startHooks.log)",
    success: 200,
  },
  {
    method: "post",
    path: "/hooks/run",
    summary: "Run the start hooks again now (409 while running)",
    success: 202,
  },
  {
    method: "post",
    path: "/attachments",
    summary: "Upload an attachment's raw bytes (at most 20 MiB; the same bytes answer the same id)",
    rawBody: ACCEPTED_MEDIA_TYPES,
    success: 201,
  },
  {
    method: "get",
    path: "/attachments/{attachmentId}",
    summary: "An attachment's bytes, with its media type",
    params: AttachmentParams,
    success: 200,
  },
  {
    method: "get",
    path: "/events",
    summary: "The event log as Server-Sent Events",
    query: EventsQuery,
    success: 200,
  },
];

const json = (schema: Schema) =>
  toJsonSchema(schema, { target: "draft-2020-12", typeMode: "input", errorMode: "ignore" });

function parameters(op: Operation) {
  const list: object[] = [];
  for (const [where, schema] of [
    ["path", op.params],
    ["query", op.query],
  ] as const) {
    if (!schema) continue;
    const props =
      (json(schema) as { properties?: Record<string, object>; required?: string[] }).properties ??
      {};
    const required = new Set((json(schema) as { required?: string[] }).required ?? []);
    for (const [name, propSchema] of Object.entries(props)) {
      list.push({
        name,
        in: where,
        required: where === "path" || required.has(name),
        schema: propSchema,
      });
    }
  }
  return list;
}

const errorSchema = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: { code: { type: "string" }, message: { type: "string" }, details: {} },
      required: ["code", "message"],
    },
  },
};

/** The OpenAPI 3.1 document, built from the same valibot schemas the routes validate with. */
export function openApiDocument(version: string) {
  const paths: Record<string, Record<string, object>> = {};
  for (const op of operations) {
    paths[op.path] ??= {};
    const entry = paths[op.path] as Record<string, object>;
    entry[op.method] = {
      summary: op.summary,
      ...(op.public ? { security: [] } : {}),
      parameters: parameters(op),
      ...(op.body
        ? {
            requestBody: {
              required: op.method !== "post" || op.body !== InterruptBody,
              content: { "application/json": { schema: json(op.body) } },
            },
          }
        : {}),
      ...(op.rawBody
        ? {
            requestBody: {
              required: true,
              content: Object.fromEntries(
                op.rawBody.map((type) => [type, { schema: { type: "string", format: "binary" } }]),
              ),
            },
          }
        : {}),
      responses: {
        [op.success]: { description: "success" },
        "4XX": {
          description: "invalid input, unauthorised, unknown or conflicting",
          content: { "application/json": { schema: errorSchema } },
        },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "replicas-engine", version },
    components: {
      securitySchemes: {
        secret: { type: "apiKey", in: "header", name: "X-Replicas-Engine-Secret" },
      },
    },
    security: [{ secret: [] }],
    paths,
  };
}
