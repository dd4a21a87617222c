import { describe, expect, it } from "vitest";
import type { EventData, NewEvent } from "../src/events/catalogue.js";
import { approvalRequested, approvalResolved } from "../test/support/approval-records.js";
import { recorded } from "../test/support/recorded-events.js";
import { type ChatApproval, chatApprovalsProjection, pendingApprovals } from "./chat-approvals.js";
import { foldEvents } from "./fold.js";

const requested = (
  approvalId: string,
  overrides: Partial<EventData<"chat.approval.requested">> = {},
): NewEvent => approvalRequested(approvalId, "t1", overrides);

const resolved = (
  approvalId: string,
  overrides: Partial<EventData<"chat.approval.resolved">> = {},
): NewEvent => approvalResolved(approvalId, "t1", overrides);

const fold = (events: NewEvent[]) => foldEvents(chatApprovalsProjection, recorded(events));
const pendingIds = (events: NewEvent[], chatId = "c1") =>
  pendingApprovals([...fold(events).values()].filter((d) => d.group === chatId)).map(
    (a) => a.approvalId,
  );

describe("chat approvals projection", () => {
  it("given a request, it is one pending document in the group of its chat", () => {
    const docs = fold([requested("a1")]);
    expect([...docs.values()].map((d) => [d.id, d.group])).toEqual([["c1/a1", "c1"]]);
    expect(docs.get("c1/a1")?.data).toMatchObject<Partial<ChatApproval>>({
      approvalId: "a1",
      toolName: "Write",
      state: "pending",
      requestedAt: "2026-01-01T00:00:01.000Z",
      resolution: null,
    });
  });

  it("when it is resolved, the document keeps the answer and when it came", () => {
    const docs = fold([
      requested("a1"),
      resolved("a1", { decision: "deny", message: "write notes.md instead" }),
    ]);
    expect(docs.get("c1/a1")?.data).toMatchObject({
      state: "resolved",
      resolution: {
        decision: "deny",
        by: "client",
        message: "write notes.md instead",
        updatedInput: null,
        scope: "once",
        answers: null,
        resolvedAt: "2026-01-01T00:00:02.000Z",
      },
    });
  });

  it("a second resolution or a repeated request changes nothing: the first one stands", () => {
    const docs = fold([
      requested("a1"),
      resolved("a1", { by: "timeout", decision: "deny" }),
      resolved("a1", { by: "client", decision: "allow" }),
      requested("a1", { toolName: "Bash" }),
    ]);
    expect(docs.get("c1/a1")?.data).toMatchObject({
      toolName: "Write",
      state: "resolved",
      resolution: { by: "timeout", decision: "deny" },
    });
  });

  it("a resolution of an unknown request records no document", () => {
    expect(fold([resolved("ghost")]).size).toBe(0);
  });

  it("pending approvals of a chat are the unresolved ones, oldest first, other chats apart", () => {
    const events = [
      requested("first"),
      requested("other-chat", { chatId: "c2" }),
      requested("second"),
      requested("third"),
      resolved("second"),
    ];
    expect(pendingIds(events)).toEqual(["first", "third"]);
    expect(pendingIds(events, "c2")).toEqual(["other-chat"]);
  });

  it("pending approvals are ordered by request position, whatever order the store lists them in", () => {
    const docs = [...fold([requested("a"), requested("b"), requested("c")]).values()].reverse();
    expect(pendingApprovals(docs).map((a) => a.approvalId)).toEqual(["a", "b", "c"]);
  });

  it("when the chat is deleted, its requests leave the read model", () => {
    const docs = fold([
      requested("a1"),
      requested("b1", { chatId: "c2" }),
      { type: "chat.deleted", data: { chatId: "c1" } },
    ]);
    expect([...docs.keys()]).toEqual(["c2/b1"]);
  });
});
