import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ClaudeProvider } from "../../../src/providers/claude/claude-provider.js";
import {
  continuesAfterTool,
  text,
  thinkingThenText,
  toolUse,
  unauthorized,
} from "../../fakes/anthropic/index.js";
import { clientAllow } from "../../support/approval-records.js";
import { processRunning } from "../../support/processes.js";
import { recordTurn, terminalCount } from "../../support/turn-recorder.js";
import { waitUntil } from "../../support/wait-until.js";
import { type ClaudeHarness, itemsOf, startClaudeHarness } from "./claude-harness.js";

/** Real pinned `claude` against the fake Messages API: one turn each. */
describe("claude adapter: turns with the real CLI", () => {
  let h: ClaudeHarness;
  let provider: ClaudeProvider;

  beforeAll(async () => {
    h = await startClaudeHarness();
    provider = h.provider();
  });
  afterAll(() => h.close());

  test("a machine's IS_SANDBOX=yes does not stop the default bypassPermissions mode (the CLI accepts 1 only)", async () => {
    const cwd = await h.repo("sandbox-yes");
    const yes = h.provider({ env: { ...h.env.env, IS_SANDBOX: "yes" } });
    h.fake.enqueue(text("sandboxed"));
    const turn = recordTurn(yes, h.request("chat-sandbox-yes", "say it", cwd));
    expect((await turn.ended).kind).toBe("completed");
  });

  test("a text turn: session, streamed deltas, then the final text item, then completed with usage", async () => {
    const cwd = await h.repo("text");
    h.fake.enqueue(text("Hello there, streaming world.", { chunks: 4, delayMs: 20 }));
    const turn = recordTurn(provider, h.request("chat-text", "say hello", cwd));
    const terminal = await turn.ended;

    expect(terminal.kind).toBe("completed");
    if (terminal.kind !== "completed") return;
    expect(terminal.usage?.inputTokens).toBeGreaterThan(0);
    expect(terminal.usage?.outputTokens).toBeGreaterThan(0);
    expect(typeof terminal.costUsd).toBe("number");
    expect(terminalCount(turn.outputs)).toBe(1);
    expect(turn.outputs.at(-1)).toBe(terminal);

    const kinds = turn.outputs.map((o) => o.kind);
    expect(kinds[0]).toBe("session");
    const deltas = turn.outputs.filter((o) => o.kind === "delta");
    expect(deltas.length).toBeGreaterThanOrEqual(2);
    const textItem = turn.outputs.find(
      (o) => o.kind === "item" && o.item.type === "assistant_text",
    );
    expect(textItem?.kind === "item" && textItem.item).toEqual({
      type: "assistant_text",
      text: "Hello there, streaming world.",
    });
    // Deltas and the final item share the item id, and every delta comes before the item.
    const itemId = textItem?.kind === "item" ? textItem.itemId : "";
    expect(deltas.every((d) => d.kind === "delta" && d.itemId === itemId)).toBe(true);
    expect(deltas.map((d) => (d.kind === "delta" ? d.text : "")).join("")).toBe(
      "Hello there, streaming world.",
    );
    expect(turn.outputs.indexOf(deltas.at(-1) as never)).toBeLessThan(
      turn.outputs.indexOf(textItem as never),
    );
  });

  test("thinking blocks become reasoning items, streamed as reasoning deltas", async () => {
    const cwd = await h.repo("thinking");
    h.fake.enqueue(thinkingThenText("Let me weigh the options.", "Option B."));
    const turn = recordTurn(provider, h.request("chat-thinking", "choose", cwd));
    expect((await turn.ended).kind).toBe("completed");
    expect(itemsOf(turn.outputs, "reasoning").map((i) => i.text)).toEqual([
      "Let me weigh the options.",
    ]);
    expect(itemsOf(turn.outputs, "assistant_text").map((i) => i.text)).toEqual(["Option B."]);
    expect(turn.outputs.some((o) => o.kind === "delta" && o.itemKind === "reasoning")).toBe(true);
  });

  test("a Write tool call in acceptEdits really writes the file and records call and result", async () => {
    const cwd = await h.repo("write");
    const target = join(cwd, "hello.txt");
    h.fake.enqueue(
      toolUse(
        "Write",
        { file_path: target, content: "hi from the fake model\n" },
        { preface: "Writing." },
      ),
      text("Wrote hello.txt."),
    );
    const turn = recordTurn(
      provider,
      h.request("chat-write", "create hello.txt", cwd, { permissionMode: "acceptEdits" }),
    );
    expect((await turn.ended).kind).toBe("completed");
    expect(await readFile(target, "utf8")).toBe("hi from the fake model\n");
    const [call] = itemsOf(turn.outputs, "tool_call");
    expect(call?.name).toBe("Write");
    expect(call?.input).toEqual({ file_path: target, content: "hi from the fake model\n" });
    const [result] = itemsOf(turn.outputs, "tool_result");
    expect(result?.callId).toBe(call?.callId);
    expect(result?.isError).toBe(false);
    expect(itemsOf(turn.outputs, "assistant_text").map((i) => i.text)).toEqual([
      "Writing.",
      "Wrote hello.txt.",
    ]);
  });

  test("a Write tool call in default mode is an approval request; a deny leaves no file, an error result", async () => {
    const cwd = await h.repo("write-default");
    const target = join(cwd, "denied.txt");
    h.fake.enqueue(
      toolUse("Write", { file_path: target, content: "no\n" }),
      text("Could not write."),
    );
    const turn = recordTurn(
      provider,
      h.request("chat-deny", "create it", cwd, { permissionMode: "default" }),
    );
    const asked = await turn.waitFor((o) => o.kind === "approval");
    if (asked.kind !== "approval") throw new Error("not an approval");
    expect(asked.ask).toMatchObject({
      kind: "tool",
      toolName: "Write",
      input: { file_path: target },
    });
    turn.handle.answer(asked.ask.approvalId, {
      decision: "deny",
      by: "client",
      message: "not now",
      updatedInput: null,
      scope: "once",
      answers: null,
    });
    expect((await turn.ended).kind).toBe("completed");
    expect(existsSync(target)).toBe(false);
    expect(itemsOf(turn.outputs, "tool_result")[0]?.isError).toBe(true);
  });

  test("a Bash tool call runs its command and the result item carries its output", async () => {
    const cwd = await h.repo("bash");
    h.fake.enqueue(
      toolUse("Bash", {
        command: "echo bash-ran > proof.txt && echo printed-by-bash",
        description: "prove",
      }),
      text("Ran it."),
    );
    const turn = recordTurn(
      provider,
      h.request("chat-bash", "run it", cwd, { permissionMode: "bypassPermissions" }),
    );
    expect((await turn.ended).kind).toBe("completed");
    expect(await readFile(join(cwd, "proof.txt"), "utf8")).toBe("bash-ran\n");
    const [call] = itemsOf(turn.outputs, "tool_call");
    expect(call?.name).toBe("Bash");
    const [result] = itemsOf(turn.outputs, "tool_result");
    expect(result).toMatchObject({ callId: call?.callId, isError: false });
    expect(result?.output).toContain("printed-by-bash");
  });

  test("plan mode: the plan file and ExitPlanMode become plan items; the plan is a plan request", async () => {
    const cwd = await h.repo("plan");
    const planText = "# Plan\n\n1. Step one\n2. Step two\n";
    h.fake.setScript((request) => {
      if (request.body.stream !== true) return undefined;
      const step = request.body.messages.filter((m) => m.role === "assistant").length;
      if (step === 0) {
        // The CLI names the plan file in its plan-mode instructions.
        const planPath = /\/[^\s"'`\\]*\/\.claude\/plans\/[A-Za-z0-9._-]+\.md/.exec(
          JSON.stringify(request.body),
        )?.[0];
        return toolUse("Write", {
          file_path: planPath ?? join(h.env.plansDir, "plan.md"),
          content: planText,
        });
      }
      if (step === 1 && continuesAfterTool(request))
        return toolUse("ExitPlanMode", { plan: planText });
      return text("Plan ready.");
    });
    try {
      const turn = recordTurn(
        provider,
        h.request("chat-plan", "plan a refactor", cwd, { permissionMode: "plan" }),
      );
      const asked = await turn.waitFor((o) => o.kind === "approval");
      if (asked.kind !== "approval") throw new Error("not an approval");
      expect(asked.ask).toMatchObject({ kind: "plan", toolName: "ExitPlanMode" });
      turn.handle.answer(asked.ask.approvalId, clientAllow);
      expect((await turn.ended).kind).toBe("completed");
      const plans = itemsOf(turn.outputs, "plan");
      expect(plans.length).toBeGreaterThanOrEqual(1);
      expect(plans.every((p) => p.text === planText)).toBe(true);
      const planPath = plans.find((p) => p.path)?.path;
      expect(planPath).toMatch(/\.claude\/plans\/.+\.md$/);
      expect(await readFile(planPath as string, "utf8")).toBe(planText);
      const exit = itemsOf(turn.outputs, "tool_call").find((c) => c.name === "ExitPlanMode");
      const exitResult = itemsOf(turn.outputs, "tool_result").find(
        (r) => r.callId === exit?.callId,
      );
      expect(exitResult?.isError).toBe(false);
    } finally {
      h.fake.setScript(undefined);
    }
  });

  test("an HTTP 401 fails the turn with a clear error and stops its process; the next turn in the chat works in a new one", async () => {
    const cwd = await h.repo("auth");
    // The key is rejected on every request until it is "fixed".
    h.fake.setScript(() => unauthorized());
    const first = recordTurn(provider, h.request("chat-401", "hello", cwd));
    const failed = await first.ended;
    expect(failed.kind).toBe("failed");
    if (failed.kind !== "failed") return;
    expect(failed.error.code).toBe("provider_auth_failed");
    expect(failed.error.message).toContain("401");
    expect(failed.error.details?.api_error_status).toBe(401);
    expect(JSON.stringify(failed)).not.toContain(h.env.env.ANTHROPIC_API_KEY);
    expect(itemsOf(first.outputs, "assistant_text")).toEqual([]);
    const refused = provider.processId("chat-401");
    expect(refused).toBeGreaterThan(0);
    await waitUntil(
      () => provider.processId("chat-401") === undefined,
      "the refused process exits",
    );
    expect(processRunning(refused ?? 0)).toBe(false);

    h.fake.setScript(undefined);
    h.fake.enqueue(text("Back in business."));
    const second = recordTurn(provider, h.request("chat-401", "again", cwd));
    expect((await second.ended).kind).toBe("completed");
    expect(provider.processId("chat-401")).not.toBe(refused);
    expect(itemsOf(second.outputs, "assistant_text").map((i) => i.text)).toEqual([
      "Back in business.",
    ]);
  });

  test("a missing binary fails the turn with provider_not_found; probe reports it missing", async () => {
    const cwd = await h.repo("missing");
    const missing = h.provider({ binary: join(cwd, "no-such-claude") });
    const turn = recordTurn(missing, h.request("chat-missing", "hello", cwd));
    const terminal = await turn.ended;
    expect(terminal).toMatchObject({ kind: "failed", error: { code: "provider_not_found" } });
    expect(turn.outputs).toHaveLength(1);
    expect(await missing.probe()).toEqual({ found: false, path: null, version: null });
  });

  test("probe finds the pinned binary and its version", async () => {
    const probe = await provider.probe();
    expect(probe.found).toBe(true);
    expect(probe.path).toMatch(/claude$/);
    expect(probe.version).toBe("2.1.330");
  });
});
