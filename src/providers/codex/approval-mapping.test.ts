import { describe, expect, it } from "vitest";
import { codexApprovalRequest, codexApprovalResponse } from "./approval-mapping.js";

const context = "ap1";
const answer = { decision: "allow", scope: "once", answers: null } as const;

// The params of real server requests (docs/approvals-research.md).
const command = {
  kind: "command",
  threadId: "th",
  turnId: "tu",
  itemId: "call_1",
  startedAtMs: 1,
  command: "/bin/bash -lc 'echo hi > /w/out.txt'",
  cwd: "/w",
  availableDecisions: ["accept", "cancel"],
};
const fileChange = {
  threadId: "th",
  turnId: "tu",
  itemId: "call_2",
  reason: null,
  grantRoot: null,
};
const changes = [{ path: "/w/out.txt", kind: { type: "add" }, diff: "patched\n" }];
const userInput = {
  threadId: "th",
  turnId: "tu",
  itemId: "call_3",
  questions: [{ id: "db", header: "Database", question: "Which database?", options: [] }],
  isBlocking: true,
};

describe("codexApprovalRequest", () => {
  it("given a command approval, a command request with the command and cwd", () => {
    expect(codexApprovalRequest("item/commandExecution/requestApproval", command, context)).toEqual(
      {
        approvalId: context,
        kind: "command",
        callId: "call_1",
        toolName: "commandExecution",
        input: { command: command.command, cwd: "/w" },
        reason: null,
        decisions: ["allow", "deny"],
        scopes: ["once", "session"],
        editableInput: false,
      },
    );
  });

  it("a file change takes its changes from the fileChange item", () => {
    expect(
      codexApprovalRequest("item/fileChange/requestApproval", fileChange, context, changes),
    ).toMatchObject({ kind: "file_change", callId: "call_2", input: { changes } });
  });

  it("user input is a question, once only; the reason is the agent's when it gives one", () => {
    expect(codexApprovalRequest("item/tool/requestUserInput", userInput, context)).toMatchObject({
      kind: "question",
      input: { questions: userInput.questions },
      scopes: ["once"],
    });
    const withReason = { ...command, reason: "needs network" };
    expect(
      codexApprovalRequest("item/commandExecution/requestApproval", withReason, context)?.reason,
    ).toBe("needs network");
  });

  it("a method that asks nobody is not a request", () => {
    expect(codexApprovalRequest("item/tool/call", {}, context)).toBeNull();
  });
});

describe("codexApprovalResponse", () => {
  it("allow once is accept, allow for the session acceptForSession, deny decline", () => {
    const method = "item/commandExecution/requestApproval";
    expect(codexApprovalResponse(method, command, answer)).toEqual({ decision: "accept" });
    expect(codexApprovalResponse(method, command, { ...answer, scope: "session" })).toEqual({
      decision: "acceptForSession",
    });
    expect(
      codexApprovalResponse("item/fileChange/requestApproval", fileChange, {
        ...answer,
        decision: "deny",
      }),
    ).toEqual({
      decision: "decline",
    });
  });

  it("user-input answers keyed by question text go back keyed by question id", () => {
    expect(
      codexApprovalResponse("item/tool/requestUserInput", userInput, {
        ...answer,
        answers: { "Which database?": "Postgres" },
      }),
    ).toEqual({ answers: { db: { answers: ["Postgres"] } } });
    expect(
      codexApprovalResponse("item/tool/requestUserInput", userInput, {
        ...answer,
        decision: "deny",
      }),
    ).toEqual({ answers: {} });
  });

  it("a permissions request is granted what it asked for, for the turn or the session", () => {
    const params = { permissions: { network: { enabled: true } }, cwd: "/w" };
    const method = "item/permissions/requestApproval";
    expect(codexApprovalResponse(method, params, answer)).toEqual({
      permissions: params.permissions,
      scope: "turn",
    });
    expect(codexApprovalResponse(method, params, { ...answer, decision: "deny" })).toEqual({
      permissions: {},
      scope: "turn",
    });
  });
});
