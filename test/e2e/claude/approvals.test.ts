import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ChatSettings } from "../../../src/events/chat-settings.js";
import {
  askUserQuestion,
  continuesAfterTool,
  planFilePathOf,
  type RecordedRequest,
  text,
  toolUse,
} from "../../fakes/anthropic/index.js";
import { postAnswer, toolResultTexts } from "../../support/approval-answers.js";
import { runCli } from "../../support/cli.js";
import { type ClaudeEngine, startClaudeEngine } from "./claude-engine.js";

/** The real engine, the real `claude`: the agent's permission prompts reach the client. */
describe("claude through the engine: approvals", () => {
  let e: ClaudeEngine;

  beforeAll(async () => {
    e = await startClaudeEngine();
  });
  afterAll(() => e.close());

  const requested = (chatId: string, toolName?: string) =>
    e.feed.waitFor(
      "chat.approval.requested",
      (ev) =>
        ev.data.chatId === chatId && (toolName === undefined || ev.data.toolName === toolName),
    );
  const resolved = (chatId: string, approvalId: string) =>
    e.feed.waitFor(
      "chat.approval.resolved",
      (ev) => ev.data.chatId === chatId && ev.data.approvalId === approvalId,
    );

  /** A chat whose first message makes the model Write `name`; returns where and the request. */
  async function pendingWrite(
    chat: string,
    settings: ChatSettings = { permissionMode: "default" },
  ) {
    const chatId = await e.chat(chat, settings);
    const { chat: doc } = await e.client.getChat(chatId);
    const target = join(doc.cwd, `${chat}.txt`);
    // Replies a stopped turn never asked for must not answer this one.
    e.fake.reset();
    e.fake.enqueue(toolUse("Write", { file_path: target, content: "approved\n" }), text("Done."));
    const sent = await e.send(chatId, `create ${chat}.txt`);
    const request = await requested(chatId, "Write");
    return { chatId, target, sent, request };
  }

  test("a fresh chat with no settings writes a file without asking", async () => {
    const chatId = await e.chat("fresh");
    const { chat } = await e.client.getChat(chatId);
    const target = join(chat.cwd, "fresh.txt");
    e.fake.enqueue(toolUse("Write", { file_path: target, content: "free\n" }), text("Wrote."));
    const end = await e.turn(chatId, "create fresh.txt");
    expect(end.type).toBe("chat.turn.completed");
    expect(await readFile(target, "utf8")).toBe("free\n");
    expect(
      e.feed.events.some(
        (ev) => ev.type === "chat.approval.requested" && ev.data.chatId === chatId,
      ),
    ).toBe(false);
  });

  test("in default mode a Write waits for the client; allow writes it; answers are idempotent", async () => {
    const { chatId, target, sent, request } = await pendingWrite("allow");
    expect(request.data).toMatchObject({
      kind: "tool",
      toolName: "Write",
      input: { file_path: target },
      decisions: ["allow", "deny"],
      scopes: ["once", "session"],
      editableInput: true,
    });
    const { chat } = await e.client.getChat(chatId);
    expect(chat.status).toBe("awaiting_approval");
    expect(chat.pendingApprovals.map((a) => a.approvalId)).toEqual([request.data.approvalId]);
    expect(existsSync(target)).toBe(false);

    const { approvalId } = request.data;
    const unknown = await postAnswer(e.client, chatId, "appr_nope", { decision: "allow" });
    expect(unknown.status).toBe(404);
    const first = await postAnswer(e.client, chatId, approvalId, { decision: "allow" });
    expect(first.status).toBe(202);
    expect(first.body.resolution).toMatchObject({ decision: "allow", by: "client" });
    expect((await resolved(chatId, approvalId)).data).toMatchObject({
      decision: "allow",
      by: "client",
    });

    const end = await e.turnEnd(sent.messageId);
    expect(end.type).toBe("chat.turn.completed");
    expect(await readFile(target, "utf8")).toBe("approved\n");
    const again = await postAnswer(e.client, chatId, approvalId, { decision: "allow" });
    expect(again.status).toBe(200);
    const other = await postAnswer(e.client, chatId, approvalId, { decision: "deny" });
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: "approval_resolved" });
    const after = await e.client.getChat(chatId);
    expect(after.chat.status).toBe("idle");
    expect(after.chat.pendingApprovals).toEqual([]);
  });

  test("deny with a message: no file, and the model's next request carries the message", async () => {
    const { chatId, target, sent, request } = await pendingWrite("deny");
    const message = "Do not write that file; write notes.md instead.";
    const answer = await postAnswer(e.client, chatId, request.data.approvalId, {
      decision: "deny",
      message,
    });
    expect(answer.status).toBe(202);
    expect((await e.turnEnd(sent.messageId)).type).toBe("chat.turn.completed");
    expect(existsSync(target)).toBe(false);
    const last = e.fake.requests.filter((r) => r.body.stream === true).at(-1);
    expect(toolResultTexts(last?.body ?? { messages: [] }).join("\n")).toContain(message);
  });

  test("a question round-trips: the model receives the client's answer", async () => {
    const chatId = await e.chat("question");
    e.fake.reset();
    const question = "Which database should I use?";
    e.fake.enqueue(
      askUserQuestion([
        {
          question,
          header: "Database",
          options: [
            { label: "SQLite", description: "One file" },
            { label: "Postgres", description: "A server" },
          ],
          multiSelect: false,
        },
      ]),
      text("Postgres it is."),
    );
    const sent = await e.send(chatId, "pick a database");
    const request = await requested(chatId, "AskUserQuestion");
    expect(request.data).toMatchObject({ kind: "question", scopes: ["once"] });
    const answer = await postAnswer(e.client, chatId, request.data.approvalId, {
      decision: "allow",
      answers: { [question]: "Postgres" },
    });
    expect(answer.status).toBe(202);
    expect((await e.turnEnd(sent.messageId)).type).toBe("chat.turn.completed");
    const last = e.fake.requests.filter((r) => r.body.stream === true).at(-1);
    expect(toolResultTexts(last?.body ?? { messages: [] }).join("\n")).toContain("Postgres");
  });

  test("plan mode: a denied plan goes back to planning, an allowed one is carried out", async () => {
    const chatId = await e.chat("plan", { permissionMode: "plan" });
    const { chat } = await e.client.getChat(chatId);
    const impl = join(chat.cwd, "impl.txt");
    const plan = "# Plan\n1. Write impl.txt\n";
    e.fake.setScript((request: RecordedRequest) => {
      if (request.body.stream !== true) return undefined;
      const step = request.body.messages.filter((m) => m.role === "assistant").length;
      if (step === 0) {
        const file = planFilePathOf(request.body) ?? join(e.claude.plansDir, "plan.md");
        return toolUse("Write", { file_path: file, content: plan });
      }
      if (step === 1 || step === 2) return toolUse("ExitPlanMode", {});
      if (step === 3 && continuesAfterTool(request))
        return toolUse("Write", { file_path: impl, content: "implemented\n" });
      return text("Implemented.");
    });
    try {
      const sent = await e.send(chatId, "plan, then do it");
      const first = await e.feed.waitFor(
        "chat.approval.requested",
        (ev) => ev.data.chatId === chatId && ev.data.toolName === "ExitPlanMode",
        15000,
      );
      expect(first.data).toMatchObject({ kind: "plan", input: { plan } });
      const feedback = "Plan rejected: also add tests.";
      await postAnswer(e.client, chatId, first.data.approvalId, {
        decision: "deny",
        message: feedback,
      });
      const second = await e.feed.waitFor(
        "chat.approval.requested",
        (ev) =>
          ev.data.chatId === chatId &&
          ev.data.kind === "plan" &&
          ev.data.approvalId !== first.data.approvalId,
        15000,
      );
      const planning = e.fake.requests.filter((r) => r.body.stream === true).at(-1);
      expect(toolResultTexts(planning?.body ?? { messages: [] }).join("\n")).toContain(feedback);
      expect(existsSync(impl)).toBe(false);
      const allow = await postAnswer(e.client, chatId, second.data.approvalId, {
        decision: "allow",
      });
      expect(allow.status).toBe(202);
      expect((await e.turnEnd(sent.messageId, 15000)).type).toBe("chat.turn.completed");
      const results = (await e.items(chatId)).filter((i) => i.type === "tool_result");
      expect(
        results.some((r) => !r.isError && r.output.includes("User has approved your plan")),
      ).toBe(true);
      // Carried out without asking again: the plan's Write ran in the engine's default mode.
      expect(await readFile(impl, "utf8")).toBe("implemented\n");
      const asked = e.feed.events.filter(
        (ev) => ev.type === "chat.approval.requested" && ev.data.chatId === chatId,
      );
      expect(asked).toHaveLength(2);
    } finally {
      e.fake.setScript(undefined);
    }
  });

  test("an unanswered request is denied by timeout and the agent is told why", async () => {
    const { chatId, target, sent, request } = await pendingWrite("timeout", {
      permissionMode: "default",
      approvalTimeoutMs: 1_000,
    });
    const resolution = await resolved(chatId, request.data.approvalId);
    expect(resolution.data).toMatchObject({ decision: "deny", by: "timeout" });
    expect((await e.turnEnd(sent.messageId)).type).toBe("chat.turn.completed");
    expect(existsSync(target)).toBe(false);
    const last = e.fake.requests.filter((r) => r.body.stream === true).at(-1);
    expect(toolResultTexts(last?.body ?? { messages: [] }).join("\n")).toContain(
      "Nobody answered this request in time",
    );
    const late = await postAnswer(e.client, chatId, request.data.approvalId, { decision: "allow" });
    expect(late.status).toBe(409);
  });

  test("an interrupt resolves the pending request first, then the turn ends interrupted", async () => {
    const { chatId, target, sent, request } = await pendingWrite("interrupt");
    await e.client.interrupt(chatId);
    const resolution = await resolved(chatId, request.data.approvalId);
    expect(resolution.data).toMatchObject({ decision: "deny", by: "interrupt" });
    const end = await e.turnEnd(sent.messageId);
    expect(end.type).toBe("chat.turn.interrupted");
    expect(resolution.position).toBeLessThan(end.position);
    expect(existsSync(target)).toBe(false);
  });

  test("deleting the chat resolves its pending request by delete", async () => {
    const { chatId, request } = await pendingWrite("delete");
    await e.client.deleteChat(chatId);
    const resolution = await resolved(chatId, request.data.approvalId);
    expect(resolution.data).toMatchObject({ decision: "deny", by: "delete" });
  });

  test("an engine killed with a request pending resolves it engine_restart at boot", async () => {
    const { chatId, target, sent, request } = await pendingWrite("restart");
    await e.restart("SIGKILL");
    const resolution = await resolved(chatId, request.data.approvalId);
    expect(resolution.data).toMatchObject({ decision: "deny", by: "engine_restart" });
    const end = await e.turnEnd(sent.messageId);
    expect(end).toMatchObject({
      type: "chat.turn.interrupted",
      data: { reason: "engine_restart" },
    });
    expect(existsSync(target)).toBe(false);
    const { chat } = await e.client.getChat(chatId);
    expect(chat).toMatchObject({ status: "idle", pendingApprovals: [] });
  });

  test("an engine stopped with a request pending resolves it by shutdown", async () => {
    const { chatId, sent, request } = await pendingWrite("shutdown");
    await e.restart("SIGTERM");
    expect((await resolved(chatId, request.data.approvalId)).data.by).toBe("shutdown");
    expect((await e.turnEnd(sent.messageId)).type).toBe("chat.turn.interrupted");
  });

  /** A chat whose model asks a question; the request is pending. */
  async function pendingQuestion(chat: string, settings: ChatSettings = {}) {
    const chatId = await e.chat(chat, settings);
    e.fake.reset();
    e.fake.enqueue(
      askUserQuestion([
        {
          question: "Which color?",
          header: "Color",
          options: [
            { label: "Red", description: "warm" },
            { label: "Blue", description: "cold" },
          ],
          multiSelect: false,
        },
      ]),
      text("Blue it is."),
    );
    const sent = await e.send(chatId, "pick a color");
    const request = await requested(chatId, "AskUserQuestion");
    return { chatId, sent, request };
  }

  for (const signal of ["SIGKILL", "SIGTERM"] as const) {
    test(`a question stays pending across an engine restart (${signal}); the answer completes the same turn`, async () => {
      const { chatId, sent, request } = await pendingQuestion(`durable-${signal.toLowerCase()}`);
      expect(request.data.durable).toBe(true);
      await e.restart(signal);
      const { chat } = await e.client.getChat(chatId);
      expect(chat.status).toBe("awaiting_approval");
      expect(chat.pendingApprovals.map((a) => a.approvalId)).toEqual([request.data.approvalId]);
      const answer = await postAnswer(e.client, chatId, request.data.approvalId, {
        decision: "allow",
        answers: { "Which color?": "Blue" },
      });
      expect(answer.status).toBe(202);
      const end = await e.turnEnd(sent.messageId);
      expect(end.type).toBe("chat.turn.completed");
      expect(end.data.turnId).toBe(request.data.turnId);
      // No earlier end of that turn: boot kept it open.
      const ends = e.feed.events.filter(
        (ev) =>
          (ev.type === "chat.turn.completed" ||
            ev.type === "chat.turn.failed" ||
            ev.type === "chat.turn.interrupted") &&
          ev.data.turnId === request.data.turnId,
      );
      expect(ends).toHaveLength(1);
      const last = e.fake.requests.filter((r) => r.body.stream === true).at(-1);
      expect(toolResultTexts(last?.body ?? { messages: [] }).join("\n")).toContain("Blue");
    });
  }

  test("a pending question (durable) is resolved by an interrupt too, and its turn ends interrupted", async () => {
    const { chatId, sent, request } = await pendingQuestion("durable-interrupt");
    await e.client.interrupt(chatId);
    expect((await resolved(chatId, request.data.approvalId)).data.by).toBe("interrupt");
    expect((await e.turnEnd(sent.messageId)).type).toBe("chat.turn.interrupted");
  });

  test("a pending question (durable) times out: the resumed agent is told nobody answered", async () => {
    const { chatId, sent, request } = await pendingQuestion("durable-timeout", {
      approvalTimeoutMs: 1_000,
    });
    expect((await resolved(chatId, request.data.approvalId)).data.by).toBe("timeout");
    expect((await e.turnEnd(sent.messageId)).type).toBe("chat.turn.completed");
    const last = e.fake.requests.filter((r) => r.body.stream === true).at(-1);
    expect(toolResultTexts(last?.body ?? { messages: [] }).join("\n")).toContain(
      "Nobody answered this request in time",
    );
  });

  test("replay --check agrees with the read models after all of the above", async () => {
    const check = await runCli([
      "replay",
      "--db",
      join(e.claude.home, ".replicas", "engine", "engine.db"),
      "--check",
    ]);
    expect(check.stdout).toContain("stored read models match the replay");
  });
});
