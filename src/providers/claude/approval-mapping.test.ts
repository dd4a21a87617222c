import { describe, expect, it } from "vitest";
import { clientAllow } from "../../../test/support/approval-records.js";
import {
  claudeApprovalRequest,
  claudeHookDecision,
  claudePermissionResponse,
} from "./approval-mapping.js";

const context = "ap1";

// The `request` of real control requests (docs/approvals-research.md).
const write = {
  subtype: "can_use_tool",
  tool_name: "Write",
  input: { file_path: "/w/hello.txt", content: "hi\n" },
  description: "hello.txt",
  permission_suggestions: [{ type: "setMode", mode: "acceptEdits", destination: "session" }],
  tool_use_id: "toolu_786a",
};
const question = "Which database should I use?";
const ask = {
  subtype: "can_use_tool",
  tool_name: "AskUserQuestion",
  input: {
    questions: [
      { question, header: "Database", options: [{ label: "SQLite" }, { label: "Postgres" }] },
    ],
  },
  tool_use_id: "toolu_01db",
  requires_user_interaction: true,
};

describe("claudeApprovalRequest", () => {
  it("given a Write, a tool request with the call's id and input, session scope and edits allowed", () => {
    expect(claudeApprovalRequest(write, context)).toEqual({
      approvalId: context,
      kind: "tool",
      callId: "toolu_786a",
      toolName: "Write",
      input: write.input,
      reason: null,
      decisions: ["allow", "deny"],
      scopes: ["once", "session"],
      editableInput: true,
    });
  });

  it("AskUserQuestion is a question and ExitPlanMode a plan, both once only", () => {
    expect(claudeApprovalRequest(ask, context)).toMatchObject({
      kind: "question",
      scopes: ["once"],
      editableInput: false,
    });
    const plan = { tool_name: "ExitPlanMode", input: { plan: "# Plan", planFilePath: "/p.md" } };
    expect(claudeApprovalRequest(plan, context)).toMatchObject({ kind: "plan", callId: null });
  });

  it("a Bash call's description is the agent's reason", () => {
    const bash = {
      tool_name: "Bash",
      input: { command: "rm -rf dist", description: "Clean the build" },
    };
    expect(claudeApprovalRequest(bash, context).reason).toBe("Clean the build");
  });
});

describe("claudePermissionResponse", () => {
  it("an allow runs the agent's input, or the client's edit", () => {
    expect(
      claudePermissionResponse("Write", write.input, { ...clientAllow, decision: "allow" }),
    ).toEqual({
      behavior: "allow",
      updatedInput: write.input,
    });
    const edited = { file_path: "/w/hello.txt", content: "edited\n" };
    expect(
      claudePermissionResponse("Write", write.input, {
        ...clientAllow,
        decision: "allow",
        updatedInput: edited,
      }),
    ).toEqual({ behavior: "allow", updatedInput: edited });
  });

  it("a session allow adds a session rule for the tool", () => {
    expect(
      claudePermissionResponse("Write", write.input, {
        ...clientAllow,
        decision: "allow",
        scope: "session",
      }),
    ).toMatchObject({
      updatedPermissions: [
        {
          type: "addRules",
          rules: [{ toolName: "Write" }],
          behavior: "allow",
          destination: "session",
        },
      ],
    });
  });

  it("answers go back inside the question's input, keyed by question text", () => {
    const answers = { [question]: "Postgres" };
    expect(
      claudePermissionResponse("AskUserQuestion", ask.input, {
        ...clientAllow,
        decision: "allow",
        answers,
      }),
    ).toEqual({ behavior: "allow", updatedInput: { ...ask.input, answers } });
  });

  it("a deny carries the client's message, else the engine's words for who resolved it", () => {
    expect(
      claudePermissionResponse("Write", write.input, {
        ...clientAllow,
        decision: "deny",
        message: "use notes.md",
      }),
    ).toEqual({ behavior: "deny", message: "use notes.md" });
    const timedOut = claudePermissionResponse("Write", write.input, {
      ...clientAllow,
      decision: "deny",
      by: "timeout",
    });
    expect(timedOut).toEqual({
      behavior: "deny",
      message: expect.stringContaining("Nobody answered this request in time"),
    });
  });
});

describe("claudeHookDecision", () => {
  it("a deferred call's answer as the PreToolUse hook prints it", () => {
    expect(claudeHookDecision(write.input, { ...clientAllow, decision: "allow" })).toEqual({
      hookSpecificOutput: {
        hookEventName: "PreToolUse",
        permissionDecision: "allow",
        updatedInput: write.input,
      },
    });
    expect(
      claudeHookDecision(write.input, { ...clientAllow, decision: "deny", by: "engine_restart" }),
    ).toEqual({
      hookSpecificOutput: {
        hookEventName: "PreToolUse",
        permissionDecision: "deny",
        permissionDecisionReason: "The engine restarted before this request was answered.",
      },
    });
  });
});
