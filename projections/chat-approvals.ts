import type { EngineEvent, EventData } from "../src/events/catalogue.js";
import type { FoldedDocument } from "./fold.js";
import type { Projection } from "./projection.js";

type Requested = EventData<"chat.approval.requested">;
type Resolved = EventData<"chat.approval.resolved">;

/** How a request ended: the answer as recorded, and when. */
export type ApprovalResolution = Omit<Resolved, "approvalId" | "chatId" | "turnId"> & {
  resolvedAt: string;
};

/** One approval request of a chat, pending until its resolution arrives. */
export type ChatApproval = Requested & {
  state: "pending" | "resolved";
  requestedAt: string;
  resolution: ApprovalResolution | null;
};

export const approvalDocId = (chatId: string, approvalId: string) => `${chatId}/${approvalId}`;

function evolve(doc: ChatApproval | null, event: EngineEvent): ChatApproval | null {
  switch (event.type) {
    case "chat.approval.requested":
      // A request is recorded once; the same id again changes nothing.
      return (
        doc ?? { ...event.data, state: "pending", requestedAt: event.recordedAt, resolution: null }
      );
    case "chat.approval.resolved": {
      // The first resolution is the one: a request never takes a second answer.
      if (!doc || doc.state === "resolved") return doc;
      const { approvalId: _a, chatId: _c, turnId: _t, ...answer } = event.data;
      return { ...doc, state: "resolved", resolution: { ...answer, resolvedAt: event.recordedAt } };
    }
    default:
      return doc;
  }
}

/**
 * Every approval request of every chat, one document each in the group of its chat, kept after
 * its resolution so a repeated answer can be told from a conflicting one. A deleted chat's
 * requests leave with it.
 */
export const chatApprovalsProjection: Projection<ChatApproval> = {
  name: "chat-approvals",
  version: 1,
  cached: false,
  handles: ["chat.approval.requested", "chat.approval.resolved", "chat.deleted"],
  documentsOf(event) {
    switch (event.type) {
      case "chat.approval.requested":
      case "chat.approval.resolved":
        return [
          { id: approvalDocId(event.data.chatId, event.data.approvalId), group: event.data.chatId },
        ];
      default:
        return [];
    }
  },
  evolve,
  dropsGroup: (event) => (event.type === "chat.deleted" ? event.data.chatId : null),
};

/** A chat's requests still waiting for an answer, oldest first (by the position of the request). */
export function pendingApprovals(docs: readonly FoldedDocument<ChatApproval>[]): ChatApproval[] {
  return docs
    .filter((d) => d.data.state === "pending")
    .sort((a, b) => a.firstPosition - b.firstPosition)
    .map((d) => d.data);
}
