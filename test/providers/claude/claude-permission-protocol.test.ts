import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { packageRoot } from "../../../src/package-root.js";
import {
  claudeHookDecision,
  claudePermissionResponse,
} from "../../../src/providers/claude/approval-mapping.js";
import {
  askUserQuestion,
  type FakeAnthropicServer,
  lastUserMessage,
  planFilePathOf,
  type RecordedRequest,
  startFakeAnthropic,
  text,
  toolUse,
} from "../../fakes/anthropic/index.js";
import { clientAllow } from "../../support/approval-records.js";
import { type ClaudeTestEnv, makeClaudeEnv } from "../../support/claude-env.js";
import {
  type ClaudeStream,
  type StreamLine,
  spawnClaudeStream,
} from "../../support/claude-stream.js";

/**
 * The facts the approval flow stands on, pinned against the real CLI (docs/approvals-research.md):
 * how `can_use_tool` asks, what each answer does, and how a deferred call resumes in a new process.
 */

let fake: FakeAnthropicServer;
let env: ClaudeTestEnv;
let cwd: string;
const streams: ClaudeStream[] = [];

beforeEach(async () => {
  fake = await startFakeAnthropic();
  env = await makeClaudeEnv(fake.url);
  cwd = await env.makeWorkdir("w");
});

afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.close()));
  await fake.close();
  await env.cleanup();
});

function claude(mode: string, extra: string[] = [], extraEnv: Record<string, string> = {}) {
  const stream = spawnClaudeStream({
    cwd,
    env: { ...env.env, ...extraEnv },
    args: ["--permission-prompt-tool", "stdio", "--permission-mode", mode, ...extra],
  });
  streams.push(stream);
  return stream;
}

const isControlRequest = (l: StreamLine) => l.type === "control_request";
const isResult = (l: StreamLine) => l.type === "result";

/** The tool results the model was sent in a request. */
function toolResults(request: RecordedRequest | undefined) {
  const content = lastUserMessage(request ?? ({ body: { messages: [] } } as never))?.content;
  return Array.isArray(content) ? content.filter((b) => b.type === "tool_result") : [];
}

describe("claude can_use_tool (--permission-prompt-tool stdio)", () => {
  it("in default mode a Write asks; an allow with an edited input writes the edited content", async () => {
    const file = join(cwd, "hello.txt");
    fake.enqueue(toolUse("Write", { file_path: file, content: "hi\n" }), text("done"));
    const c = claude("default");
    c.sendUser("write hello");
    const ask = await c.waitFor(isControlRequest);
    expect(ask.request).toMatchObject({
      subtype: "can_use_tool",
      tool_name: "Write",
      input: { file_path: file, content: "hi\n" },
      tool_use_id: expect.stringMatching(/^toolu_/),
    });
    c.answer(ask.request_id as string, {
      behavior: "allow",
      updatedInput: { file_path: file, content: "edited by client\n" },
    });
    await c.waitFor(isResult);
    expect(readFileSync(file, "utf8")).toBe("edited by client\n");
  });

  it("a deny's message reaches the model verbatim, and nothing is written", async () => {
    const file = join(cwd, "hello.txt");
    fake.enqueue(toolUse("Write", { file_path: file, content: "hi\n" }), text("ok"));
    const c = claude("default");
    c.sendUser("write hello");
    const ask = await c.waitFor(isControlRequest);
    const message = "Do not write hello.txt; write notes.md instead.";
    c.answer(ask.request_id as string, { behavior: "deny", message });
    const result = await c.waitFor(isResult);
    expect(existsSync(file)).toBe(false);
    expect(toolResults(fake.requests[1])).toEqual([
      expect.objectContaining({ content: message, is_error: true }),
    ]);
    expect(result.permission_denials).toEqual([
      expect.objectContaining({ tool_name: "Write", tool_use_id: ask.request?.tool_use_id }),
    ]);
  });

  it("a session rule (addRules) lets the next Write of the process run without asking", async () => {
    fake.enqueue(
      toolUse("Write", { file_path: join(cwd, "a.txt"), content: "a" }),
      text("one"),
      toolUse("Write", { file_path: join(cwd, "b.txt"), content: "b" }),
      text("two"),
    );
    const c = claude("default");
    c.sendUser("a");
    const ask = await c.waitFor(isControlRequest);
    // The engine's translation of an allow with scope "session".
    c.answer(
      ask.request_id as string,
      claudePermissionResponse("Write", ask.request?.input ?? {}, {
        ...clientAllow,
        scope: "session",
      }),
    );
    await c.waitFor(isResult);
    const next = c.lines.length;
    c.sendUser("b");
    await c.waitFor(isResult, next);
    expect(c.lines.slice(next).filter(isControlRequest)).toEqual([]);
    expect(readFileSync(join(cwd, "b.txt"), "utf8")).toBe("b");
  });

  it("AskUserQuestion asks even in bypassPermissions; answers keyed by question text reach the model", async () => {
    const question = "Which database should I use?";
    fake.enqueue(
      askUserQuestion([
        {
          question,
          header: "Database",
          multiSelect: false,
          options: [
            { label: "SQLite", description: "One file" },
            { label: "Postgres", description: "A server" },
          ],
        },
      ]),
      text("thanks"),
    );
    const c = claude("bypassPermissions");
    c.sendUser("ask me");
    const ask = await c.waitFor(isControlRequest);
    expect(ask.request).toMatchObject({
      tool_name: "AskUserQuestion",
      input: { questions: [expect.objectContaining({ question })] },
      requires_user_interaction: true,
    });
    const answers = { [question]: "Postgres" };
    c.answer(
      ask.request_id as string,
      claudePermissionResponse("AskUserQuestion", ask.request?.input ?? {}, {
        ...clientAllow,
        answers,
      }),
    );
    await c.waitFor(isResult);
    expect(toolResults(fake.requests[1])).toEqual([
      expect.objectContaining({ content: expect.stringContaining(`"${question}"="Postgres"`) }),
    ]);
  });

  it("ExitPlanMode carries the plan file's text; a deny sends it back to planning", async () => {
    fake.setScript((request) => {
      const planPath = planFilePathOf(request.body);
      const planned = fake.requests.length > 1;
      return planPath && !planned
        ? toolUse("Write", { file_path: planPath, content: "# Plan\n1. Do it\n" })
        : undefined;
    });
    fake.enqueue(toolUse("ExitPlanMode", {}), text("revising"));
    const c = claude("plan");
    c.sendUser("plan it");
    const ask = await c.waitFor(isControlRequest);
    expect(ask.request).toMatchObject({
      tool_name: "ExitPlanMode",
      input: {
        plan: "# Plan\n1. Do it\n",
        planFilePath: expect.stringContaining("/.claude/plans/"),
      },
    });
    c.answer(ask.request_id as string, { behavior: "deny", message: "Plan rejected: add tests." });
    await c.waitFor(isResult);
    expect(toolResults(fake.requests.at(-1))).toEqual([
      expect.objectContaining({ content: "Plan rejected: add tests.", is_error: true }),
    ]);
    expect(c.lines.some((l) => l.subtype === "status" && l.permissionMode !== "plan")).toBe(false);
  });

  it("a plan allowed with setMode bypassPermissions is carried out without asking (bypass launched)", async () => {
    const file = join(cwd, "impl.txt");
    fake.setScript((request) => {
      const planPath = planFilePathOf(request.body);
      return planPath && fake.requests.length === 1
        ? toolUse("Write", { file_path: planPath, content: "# Plan\n1. Write impl.txt\n" })
        : undefined;
    });
    fake.enqueue(
      toolUse("ExitPlanMode", {}),
      toolUse("Write", { file_path: file, content: "impl\n" }),
      text("done"),
    );
    const c = claude("plan", ["--allow-dangerously-skip-permissions"]);
    c.sendUser("plan it");
    const ask = await c.waitFor(isControlRequest);
    expect(ask.request?.tool_name).toBe("ExitPlanMode");
    c.answer(ask.request_id as string, {
      behavior: "allow",
      updatedInput: ask.request?.input,
      updatedPermissions: [{ type: "setMode", mode: "bypassPermissions", destination: "session" }],
    });
    await c.waitFor(isResult);
    expect(c.lines.filter(isControlRequest)).toHaveLength(1);
    expect(c.lines.find((l) => l.subtype === "status")?.permissionMode).toBe("bypassPermissions");
    expect(readFileSync(file, "utf8")).toBe("impl\n");
  });

  it("set_permission_mode bypassPermissions is refused unless the process was launched for it", async () => {
    const c = claude("default");
    c.send({
      type: "control_request",
      request_id: "mode-1",
      request: { subtype: "set_permission_mode", mode: "bypassPermissions" },
    });
    const refused = await c.waitFor((l) => l.type === "control_response");
    expect(refused.response).toMatchObject({
      subtype: "error",
      request_id: "mode-1",
      error_code: "bypass_not_launched",
    });
  });

  it("an interrupt withdraws a pending request (control_cancel_request); the tool never runs", async () => {
    const file = join(cwd, "hello.txt");
    fake.enqueue(toolUse("Write", { file_path: file, content: "hi\n" }), text("unused"));
    const c = claude("default");
    c.sendUser("write hello");
    const ask = await c.waitFor(isControlRequest);
    const from = c.lines.length;
    c.send({ type: "control_request", request_id: "int-1", request: { subtype: "interrupt" } });
    const cancel = await c.waitFor((l) => l.type === "control_cancel_request", from);
    expect(cancel.request_id).toBe(ask.request_id);
    const result = await c.waitFor(isResult, from);
    expect(result).toMatchObject({
      subtype: "error_during_execution",
      terminal_reason: "aborted_tools",
    });
    expect(existsSync(file)).toBe(false);
  });

  it.each([
    ["unset", undefined],
    ["yes", "yes"],
  ])("as root, bypassPermissions needs IS_SANDBOX=1 (%s is refused)", async (_label, value) => {
    const { IS_SANDBOX: _, ...withoutSandbox } = env.env;
    const stream = spawnClaudeStream({
      cwd,
      env: value === undefined ? withoutSandbox : { ...withoutSandbox, IS_SANDBOX: value },
      args: ["--permission-mode", "bypassPermissions"],
    });
    const exit = await stream.close();
    if (process.getuid?.() === 0) {
      expect(exit.exitCode).toBe(1);
      expect(exit.stderr).toContain("cannot be used with root/sudo privileges");
    } else {
      expect(exit.exitCode).toBe(0);
    }
  });
});

describe("claude deferred tool use (PreToolUse defer, then --resume)", () => {
  const hook = join(packageRoot, "test", "support", "claude-defer-hook.mjs");
  const settings = JSON.stringify({
    hooks: {
      PreToolUse: [{ matcher: "Write", hooks: [{ type: "command", command: `node ${hook}` }] }],
    },
  });

  it("the run ends tool_deferred with the call; a new process resumes it and the tool runs", async () => {
    const file = join(cwd, "deferred.txt");
    const log = join(cwd, "..", "hook.jsonl");
    fake.enqueue(toolUse("Write", { file_path: file, content: "deferred\n" }), text("written"));
    const first = claude("default", ["--settings", settings], { CLAUDE_TEST_HOOK_LOG: log });
    first.sendUser("write it");
    const deferred = await first.waitFor(isResult);
    expect(deferred).toMatchObject({
      stop_reason: "tool_deferred",
      deferred_tool_use: { name: "Write", input: { file_path: file, content: "deferred\n" } },
    });
    expect(first.lines.filter(isControlRequest)).toEqual([]);
    expect(existsSync(file)).toBe(false);
    await first.close();

    const allow = {
      hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "allow" },
    };
    const resumed = claude(
      "default",
      ["--settings", settings, "--resume", String(deferred.session_id)],
      {
        CLAUDE_TEST_HOOK_LOG: log,
        CLAUDE_TEST_HOOK_OUTPUT: JSON.stringify(allow),
      },
    );
    // No user message: the resumed process settles the deferred call on its own.
    const done = await resumed.waitFor(isResult);
    expect(done).toMatchObject({ stop_reason: "end_turn", result: "written" });
    expect(readFileSync(file, "utf8")).toBe("deferred\n");
    const callId = (deferred.deferred_tool_use as { id: string }).id;
    const hookCalls = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(hookCalls.map((h) => h.tool_use_id)).toEqual([callId, callId]);
    expect(toolResults(fake.requests.at(-1))).toEqual([
      expect.objectContaining({ tool_use_id: callId }),
    ]);
  });

  it("a deny on resume tells the model the reason, behind the hook's prefix", async () => {
    const file = join(cwd, "deferred.txt");
    fake.enqueue(toolUse("Write", { file_path: file, content: "x" }), text("understood"));
    const first = claude("default", ["--settings", settings]);
    first.sendUser("write it");
    const deferred = await first.waitFor(isResult);
    await first.close();
    const deny = claudeHookDecision(
      {},
      { ...clientAllow, decision: "deny", message: "write notes.md instead" },
    );
    const resumed = claude(
      "default",
      ["--settings", settings, "--resume", String(deferred.session_id)],
      {
        CLAUDE_TEST_HOOK_OUTPUT: JSON.stringify(deny),
      },
    );
    await resumed.waitFor(isResult);
    expect(existsSync(file)).toBe(false);
    expect(toolResults(fake.requests.at(-1))).toEqual([
      expect.objectContaining({
        content: "PreToolUse:Write hook error: write notes.md instead",
        is_error: true,
      }),
    ]);
  });
});
