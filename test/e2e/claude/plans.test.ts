import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { PlanFile } from "../../../src/events/plan-events.js";
import type { PlanContent } from "../../../src/workspace/plans/read-plan.js";
import {
  continuesAfterTool,
  type RecordedRequest,
  text,
  toolUse,
} from "../../fakes/anthropic/index.js";
import { postAnswer } from "../../support/approval-answers.js";
import { type ClaudeEngine, startClaudeEngine } from "./claude-engine.js";

const PLAN = "# Plan\n\n1. Read the code\n2. Refactor the parser\n";

describe("claude through the engine: plan mode", () => {
  let e: ClaudeEngine;

  beforeAll(async () => {
    e = await startClaudeEngine();
  });
  afterAll(() => e.close());

  /** The model writes the plan where the CLI's plan-mode instructions say, then exits plan mode. */
  function planningModel(request: RecordedRequest) {
    if (request.body.stream !== true) return undefined;
    const step = request.body.messages.filter((m) => m.role === "assistant").length;
    if (step === 0) {
      const named = /\/[^\s"'`\\]*\/\.claude\/plans\/[A-Za-z0-9._-]+\.md/.exec(
        JSON.stringify(request.body),
      )?.[0];
      return toolUse("Write", {
        file_path: named ?? join(e.claude.plansDir, "refactor.md"),
        content: PLAN,
      });
    }
    if (step === 1 && continuesAfterTool(request)) return toolUse("ExitPlanMode", { plan: PLAN });
    return text("The plan is ready.");
  }

  test("the plan the agent writes is listed by GET /plans, readable, and a plan item in the history", async () => {
    const chatId = await e.chat("plan", { permissionMode: "plan" });
    e.fake.setScript(planningModel);
    try {
      const sent = await e.send(chatId, "plan a refactor of the parser");
      // The plan is a request for the client to review (approvals): allowed here.
      const request = await e.feed.waitFor(
        "chat.approval.requested",
        (ev) => ev.data.chatId === chatId && ev.data.kind === "plan",
      );
      await postAnswer(e.client, chatId, request.data.approvalId, { decision: "allow" });
      const end = await e.turnEnd(sent.messageId);
      expect(end.type).toBe("chat.turn.completed");
    } finally {
      e.fake.setScript(undefined);
    }

    const history = await e.items(chatId);
    const plan = history.find((item) => item.type === "plan" && item.path !== null);
    expect(plan).toMatchObject({ type: "plan", text: PLAN });
    const path = plan?.type === "plan" ? (plan.path ?? "") : "";
    expect(path.startsWith(`${e.claude.plansDir}/`)).toBe(true);
    const filename = basename(path);

    const { plans } = await e.client.get<{ plans: PlanFile[] }>("/plans");
    expect(plans).toContainEqual(
      expect.objectContaining({ name: filename, source: "claude", size: Buffer.byteLength(PLAN) }),
    );
    const read = await e.client.get<{ plan: PlanContent }>(
      `/plans/${encodeURIComponent(filename)}`,
    );
    expect(read.plan).toMatchObject({ name: filename, source: "claude", content: PLAN });
  });
});
