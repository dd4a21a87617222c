import type { EventData, NewEvent } from "../../src/events/catalogue.js";
import type { ApprovalAsk } from "../../src/providers/provider.js";

/** The approval records of chat "c1" as the pure tests (deciders, folds, the machine) give them. */

type Requested = Extract<NewEvent, { type: "chat.approval.requested" }>;
type Resolved = Extract<NewEvent, { type: "chat.approval.resolved" }>;

/** A client's allow, once: the reply as the engine relays it and `chat.approval.resolved` records it. */
export const clientAllow = {
  decision: "allow",
  by: "client",
  message: null,
  updatedInput: null,
  scope: "once",
  answers: null,
} as const;

/** A provider asking to write /w/a.txt, answerable once or for the session. */
export const writeAsk = (
  approvalId: string,
  overrides: Partial<ApprovalAsk> = {},
): ApprovalAsk => ({
  approvalId,
  kind: "tool",
  callId: `toolu_${approvalId}`,
  toolName: "Write",
  input: { file_path: "/w/a.txt", content: "a" },
  reason: null,
  decisions: ["allow", "deny"],
  scopes: ["once", "session"],
  editableInput: true,
  ...overrides,
});

/** `writeAsk` recorded for the turn `turnId`, with no expiry unless `overrides` give one. */
export const approvalRequested = (
  approvalId: string,
  turnId: string,
  overrides: Partial<EventData<"chat.approval.requested">> = {},
): Requested => ({
  type: "chat.approval.requested",
  data: { ...writeAsk(approvalId), chatId: "c1", turnId, expiresAt: null, ...overrides },
});

/** Its resolution: the client's allow, once, unless `overrides` say otherwise. */
export const approvalResolved = (
  approvalId: string,
  turnId: string,
  overrides: Partial<EventData<"chat.approval.resolved">> = {},
): Resolved => ({
  type: "chat.approval.resolved",
  data: {
    approvalId,
    chatId: "c1",
    turnId,
    ...clientAllow,
    ...overrides,
  },
});
