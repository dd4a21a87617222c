import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addFile, functionCallOutputs, shell, text } from "../../fakes/openai/index.js";
import { postAnswer } from "../../support/approval-answers.js";
import { runCli } from "../../support/cli.js";
import { type CodexEngine, startCodexEngine } from "./codex-engine.js";

/** The real engine, the real `codex app-server` with approvalPolicy "untrusted". */
describe("codex through the engine: approvals", () => {
  let e: CodexEngine;

  beforeAll(async () => {
    e = await startCodexEngine();
  });
  afterAll(() => e.close());

  const untrusted = { approvalPolicy: "untrusted", sandbox: "danger-full-access" } as const;
  const requested = (chatId: string) =>
    e.feed.waitFor("chat.approval.requested", (ev) => ev.data.chatId === chatId);
  const resolved = (chatId: string, approvalId: string) =>
    e.feed.waitFor(
      "chat.approval.resolved",
      (ev) => ev.data.chatId === chatId && ev.data.approvalId === approvalId,
    );

  /** A chat whose model runs a shell command writing out.txt: pending until answered. */
  async function pendingCommand(chatId: string, answered = true) {
    const chat = await e.createChat(chatId, "codex", untrusted);
    const target = join(chat.cwd, "out.txt");
    // A turn stopped while it waits asks the model nothing more: no reply left for the next one.
    const after = answered ? [text("Finished.")] : [];
    e.fake.script(shell(`echo ran > ${target}`), ...after);
    const sent = await e.send(chatId, "write out.txt");
    const request = await requested(chatId);
    return { target, sent, request };
  }

  test("a shell command waits for the client and runs only after allow", async () => {
    const { target, sent, request } = await pendingCommand("allow");
    expect(request.data).toMatchObject({
      kind: "command",
      toolName: "commandExecution",
      scopes: ["once", "session"],
      editableInput: false,
    });
    expect(String(request.data.input.command)).toContain("out.txt");
    const { chat } = await e.client.getChat("allow");
    expect(chat.status).toBe("awaiting_approval");
    expect(existsSync(target)).toBe(false);
    const answer = await postAnswer(e.client, "allow", request.data.approvalId, {
      decision: "allow",
    });
    expect(answer.status).toBe(202);
    expect((await sent.ended).type).toBe("chat.turn.completed");
    expect(await readFile(target, "utf8")).toBe("ran\n");
  });

  test("deny is decline: the command is skipped and the turn goes on", async () => {
    const { target, sent, request } = await pendingCommand("deny");
    await postAnswer(e.client, "deny", request.data.approvalId, { decision: "deny" });
    expect((await sent.ended).type).toBe("chat.turn.completed");
    expect(existsSync(target)).toBe(false);
    const outputs = [...functionCallOutputs(e.fake.requests.at(-1)!).values()];
    expect(outputs.join("\n")).toContain("rejected");
  });

  test("a file change asks with its changes; allow applies the patch", async () => {
    const chat = await e.createChat("patch", "codex", {
      approvalPolicy: "untrusted",
      sandbox: "read-only",
    });
    const target = join(chat.cwd, "patched.txt");
    e.fake.script(addFile(target, "patched"), text("Patched."));
    const sent = await e.send("patch", "add patched.txt");
    const request = await requested("patch");
    expect(request.data).toMatchObject({ kind: "file_change", toolName: "fileChange" });
    expect(JSON.stringify(request.data.input.changes)).toContain("patched.txt");
    expect(existsSync(target)).toBe(false);
    await postAnswer(e.client, "patch", request.data.approvalId, { decision: "allow" });
    expect((await sent.ended).type).toBe("chat.turn.completed");
    expect(await readFile(target, "utf8")).toContain("patched");
  });

  test("an interrupt resolves the pending request, then the turn ends interrupted", async () => {
    const { target, sent, request } = await pendingCommand("interrupt", false);
    await e.client.interrupt("interrupt");
    expect((await resolved("interrupt", request.data.approvalId)).data).toMatchObject({
      decision: "deny",
      by: "interrupt",
    });
    expect((await sent.ended).type).toBe("chat.turn.interrupted");
    expect(existsSync(target)).toBe(false);
  });

  test("an engine killed with a request pending resolves it engine_restart at boot", async () => {
    const { target, sent, request } = await pendingCommand("restart", false);
    await e.restart("SIGKILL");
    expect((await resolved("restart", request.data.approvalId)).data.by).toBe("engine_restart");
    expect(await sent.ended).toMatchObject({
      type: "chat.turn.interrupted",
      data: { reason: "engine_restart" },
    });
    expect(existsSync(target)).toBe(false);
  });

  test("replay --check agrees with the read models after all of the above", async () => {
    const db = join(e.codex.home, ".replicas", "engine", "engine.db");
    const check = await runCli(["replay", "--db", db, "--check"]);
    expect(check.stdout).toContain("stored read models match the replay");
  });
});
