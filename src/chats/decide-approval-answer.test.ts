import * as v from "valibot";
import { describe, expect, it } from "vitest";
import type { ChatApproval } from "../../projections/chat-approvals.js";
import { approvalRequested, approvalResolved } from "../../test/support/approval-records.js";
import { ApprovalAnswerBody } from "../http/approval-schemas.js";
import { type ApprovalAnswer, decideApprovalAnswer } from "./decide-approval-answer.js";

const pending = (overrides: Partial<ChatApproval> = {}): ChatApproval => ({
  ...approvalRequested("a1", "t1").data,
  state: "pending",
  requestedAt: "2026-01-01T00:00:01.000Z",
  resolution: null,
  ...overrides,
});

const question = pending({
  kind: "question",
  toolName: "AskUserQuestion",
  input: {
    questions: [
      { question: "Which database?", options: [{ label: "SQLite" }, { label: "Postgres" }] },
    ],
  },
  scopes: ["once"],
});

/** The body as the route parses it (defaults filled in). */
const answer = (body: Record<string, unknown>): ApprovalAnswer => v.parse(ApprovalAnswerBody, body);

function resolvedBy(
  approval: ChatApproval,
  by: "client" | "timeout",
  body: Record<string, unknown>,
): ChatApproval {
  const outcome = decideApprovalAnswer(approval, answer(body));
  if (outcome.outcome !== "resolve")
    throw new Error(`expected a resolution, got ${outcome.outcome}`);
  const { approvalId: _a, chatId: _c, turnId: _t, ...fields } = outcome.resolved;
  return {
    ...approval,
    state: "resolved",
    resolution: { ...fields, by, resolvedAt: "2026-01-01T00:00:02.000Z" },
  };
}

describe("decideApprovalAnswer", () => {
  it("given a pending request, an allow resolves it by the client, once by default", () => {
    expect(decideApprovalAnswer(pending(), answer({ decision: "allow" }))).toEqual({
      outcome: "resolve",
      status: 202,
      // The client's allow, once, for the request's chat and turn.
      resolved: approvalResolved("a1", "t1").data,
    });
  });

  it("a deny carries its message; an allow its edited input and a session scope", () => {
    const deny = decideApprovalAnswer(
      pending(),
      answer({ decision: "deny", message: "write notes.md instead" }),
    );
    expect(deny).toMatchObject({
      resolved: { decision: "deny", message: "write notes.md instead" },
    });
    const allow = decideApprovalAnswer(
      pending(),
      answer({ decision: "allow", updatedInput: { content: "b" }, scope: "session" }),
    );
    expect(allow).toMatchObject({ resolved: { updatedInput: { content: "b" }, scope: "session" } });
  });

  it("a question takes answers keyed by its question text", () => {
    const outcome = decideApprovalAnswer(
      question,
      answer({ decision: "allow", answers: { "Which database?": "Postgres" } }),
    );
    expect(outcome).toMatchObject({
      status: 202,
      resolved: { answers: { "Which database?": "Postgres" } },
    });
  });

  it("an unknown request is 404", () => {
    expect(decideApprovalAnswer(undefined, answer({ decision: "allow" }))).toEqual({
      outcome: "not_found",
      status: 404,
    });
  });

  it("the same answer again is 200 and records nothing; a different one is 409", () => {
    const body = { decision: "deny", message: "no" };
    const done = resolvedBy(pending(), "client", body);
    expect(decideApprovalAnswer(done, answer(body))).toMatchObject({
      outcome: "unchanged",
      status: 200,
      resolution: { decision: "deny", message: "no", by: "client" },
    });
    for (const other of [
      { decision: "allow" },
      { decision: "deny" },
      { decision: "deny", message: "no!" },
    ]) {
      expect(decideApprovalAnswer(done, answer(other))).toMatchObject({
        outcome: "conflict",
        status: 409,
        resolution: { decision: "deny", message: "no" },
      });
    }
  });

  it("a request the engine resolved takes no answer, not even the same deny", () => {
    const timedOut = resolvedBy(pending(), "timeout", { decision: "deny" });
    expect(decideApprovalAnswer(timedOut, answer({ decision: "deny" }))).toMatchObject({
      outcome: "conflict",
      resolution: { by: "timeout" },
    });
  });

  it.each([
    [pending({ decisions: ["allow"] }), { decision: "deny" }, 'takes "allow", not "deny"'],
    [pending({ scopes: ["once"] }), { decision: "allow", scope: "session" }, "not offered"],
    [pending(), { decision: "allow", message: "why" }, "message goes with a deny"],
    [pending(), { decision: "deny", updatedInput: {} }, "updatedInput goes with an allow"],
    [pending({ editableInput: false }), { decision: "allow", updatedInput: {} }, "does not take"],
    [pending(), { decision: "deny", scope: "session" }, 'scope "session" goes with an allow'],
    [pending(), { decision: "allow", answers: { q: "a" } }, "this request is a tool"],
    [question, { decision: "deny", answers: { "Which database?": "x" } }, "with an allow"],
    [question, { decision: "allow", answers: { "Which DB?": "x" } }, '"Which DB?" is not one'],
  ])("an answer that does not fit the request is 400 naming why (%#)", (approval, body, why) => {
    const outcome = decideApprovalAnswer(approval, answer(body));
    expect(outcome).toMatchObject({ outcome: "invalid", status: 400 });
    expect(outcome.outcome === "invalid" && outcome.message).toContain(why);
  });
});

describe("ApprovalAnswerBody", () => {
  it("rejects unknown fields, unknown decisions and empty messages", () => {
    for (const body of [
      { decision: "maybe" },
      { decision: "allow", extra: 1 },
      { decision: "deny", message: "" },
      { decision: "allow", scope: "forever" },
      { decision: "allow", answers: { q: 1 } },
      {},
    ]) {
      expect(v.safeParse(ApprovalAnswerBody, body).success, JSON.stringify(body)).toBe(false);
    }
  });
});
