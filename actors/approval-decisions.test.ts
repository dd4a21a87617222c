import { describe, expect, it } from "vitest";
import type { ApprovalResolver } from "../src/events/approval-events.js";
import { approvalRequested, approvalResolved, writeAsk } from "../test/support/approval-records.js";
import { context, given, queued, started, t } from "../test/support/given-chat.js";
import { nextExpiry, waitsDurably } from "./approval-decisions.js";
import { type ChatCommand, decide } from "./chat-decider.js";
import type { ChatRecord, ChatState } from "./chat-state.js";

const turn = [queued("m1", "go"), started("m1", "go")];
const requested = (approvalId: string, expiresAt = t(70)) =>
  approvalRequested(approvalId, "turn_m1", { expiresAt });
/** The engine's deny by `by`, or with `decision` the client's answer. */
const resolvedBy = (
  approvalId: string,
  by: ApprovalResolver,
  decision: "allow" | "deny" = "deny",
) => approvalResolved(approvalId, "turn_m1", { by, decision });

const when = (state: ChatState, command: ChatCommand, ctx = context) => {
  const decision = decide(state, command, ctx);
  if (!decision.ok) throw new Error(decision.error.message);
  return decision.events;
};
const approval = (id: string): ChatCommand => ({
  type: "PROVIDER",
  output: { kind: "approval", ask: writeAsk(id) },
});

describe("approval decisions", () => {
  it("given a running turn, an approval output records the request, expiring after the timeout", () => {
    expect(when(given(...turn), approval("a1"))).toEqual([requested("a1", t(70))]);
  });

  it("the chat's own approvalTimeoutMs wins over the engine's", () => {
    const state = { ...given(...turn), settings: { approvalTimeoutMs: 5_000 } };
    expect(when(state, approval("a1"))).toEqual([requested("a1", t(15))]);
  });

  it("given a pending request, the same request again records nothing", () => {
    expect(when(given(...turn, requested("a1")), approval("a1"))).toEqual([]);
  });

  it("a pending request makes the chat awaiting_approval, shown oldest first; its answer runs it again", () => {
    const state = given(...turn, requested("a1"), requested("a2"));
    expect(state.status).toBe("awaiting_approval");
    expect(state.pendingApprovals.map((a) => [a.approvalId, a.requestedAt])).toEqual([
      ["a1", t(3)],
      ["a2", t(4)],
    ]);
    const answer = resolvedBy("a1", "client", "allow");
    expect(when(state, { type: "ANSWER", resolved: answer.data })).toEqual([answer]);
    const one = given(...turn, requested("a1"), requested("a2"), answer);
    expect(one.status).toBe("awaiting_approval");
    expect(given(...turn, requested("a1"), answer).status).toBe("running");
  });

  it("an answer to a request that is no longer pending records nothing", () => {
    const answer = resolvedBy("a1", "client", "allow");
    const state = given(...turn, requested("a1"), resolvedBy("a1", "timeout"));
    expect(when(state, { type: "ANSWER", resolved: answer.data })).toEqual([]);
  });

  it("EXPIRE denies only the requests whose time is up, by timeout", () => {
    const state = given(...turn, requested("a1", t(9)), requested("a2", t(70)));
    expect(nextExpiry(state)).toBe(t(9));
    expect(when(state, { type: "EXPIRE" })).toEqual([resolvedBy("a1", "timeout")]);
  });

  it("STOP resolves the pending requests before the turn is interrupting: by interrupt for the user", () => {
    const state = given(...turn, requested("a1"));
    expect(when(state, { type: "STOP", reason: "user" })).toEqual([
      resolvedBy("a1", "interrupt"),
      { type: "chat.turn.interrupting", data: { chatId: "c1", turnId: "turn_m1", reason: "user" } },
    ]);
    expect(when(state, { type: "STOP", reason: "shutdown" })[0]).toEqual(
      resolvedBy("a1", "shutdown"),
    );
  });

  it("DELETE resolves them by delete before the turn ends", () => {
    const events = when(given(...turn, requested("a1")), { type: "DELETE" });
    expect(events.map((e) => e.type)).toEqual([
      "chat.approval.resolved",
      "chat.turn.interrupted",
      "chat.deleted",
    ]);
    expect(events[0]).toEqual(resolvedBy("a1", "delete"));
  });

  it("a turn's end leaves nothing pending", () => {
    const state = given(...turn, requested("a1"), {
      type: "chat.turn.completed",
      data: {
        chatId: "c1",
        turnId: "turn_m1",
        messageId: "m1",
        durationMs: 1,
        usage: null,
        costUsd: null,
      },
    });
    expect(state).toMatchObject({ status: "idle", pendingApprovals: [] });
  });
});

describe("approval decisions: durable requests", () => {
  const durable = (approvalId: string): ChatRecord => {
    const event = requested(approvalId);
    return { ...event, data: { ...event.data, durable: true } };
  };

  it("a turn waiting only on durable requests waits durably; one live request makes it not", () => {
    expect(waitsDurably(given(...turn, durable("a1")))).toBe(true);
    expect(waitsDurably(given(...turn, durable("a1"), requested("a2")))).toBe(false);
    expect(waitsDurably(given(...turn))).toBe(false);
  });
});
