import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { codexApprovalResponse } from "../../../src/providers/codex/approval-mapping.js";
import {
  addFile,
  type FakeOpenAiServer,
  functionCallOutputs,
  requestUserInput,
  shell,
  startFakeOpenAi,
  text,
} from "../../fakes/openai/index.js";
import {
  type CodexAppServerStream,
  isServerRequest,
  type RpcLine,
  startCodexAppServer,
} from "../../support/codex-app-server-stream.js";
import { type CodexTestEnv, createCodexEnv, fakeModel } from "../../support/codex-env.js";

/**
 * The facts the approval flow stands on, pinned against the real app-server
 * (docs/approvals-research.md): what Codex asks with approvalPolicy "untrusted", and what each
 * answer does to the command and the turn.
 */

let fake: FakeOpenAiServer;
let codex: CodexTestEnv;
const servers: CodexAppServerStream[] = [];

beforeEach(async () => {
  fake = await startFakeOpenAi();
  codex = await createCodexEnv(fake.baseUrl);
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await fake.close();
  await codex.cleanup();
});

async function server() {
  const started = await startCodexAppServer({ cwd: codex.workspace, env: codex.env });
  servers.push(started);
  return started;
}

/** A thread asking before it acts, and a turn started on it. */
async function askingTurn(
  s: CodexAppServerStream,
  options: { sandbox?: string; turn?: Record<string, unknown> } = {},
) {
  const thread = await s.call("thread/start", {
    cwd: codex.workspace,
    approvalPolicy: "untrusted",
    sandbox: options.sandbox ?? "danger-full-access",
  });
  const threadId = (thread.result?.thread as { id: string } | undefined)?.id;
  await s.call("turn/start", {
    threadId,
    input: [{ type: "text", text: "go", text_elements: [] }],
    ...options.turn,
  });
  return threadId;
}

const turnCompleted = (l: RpcLine) => l.method === "turn/completed";
const turnStatus = (l: RpcLine) => (l.params?.turn as { status: string } | undefined)?.status;
const completedItem = (type: string) => (l: RpcLine) =>
  l.method === "item/completed" && l.params?.item?.type === type;
/** The outputs of the calls the model was sent back (the last request carries them all). */
function outputs(): string[] {
  const last = fake.requests.at(-1);
  return last ? [...functionCallOutputs(last).values()] : [];
}

describe("codex app-server approvals (approvalPolicy untrusted)", () => {
  it("a shell command asks with command, cwd and the decisions; accept runs it", async () => {
    const file = join(codex.workspace, "out.txt");
    fake.script(shell(`echo hi > ${file}`), text("after"));
    const s = await server();
    await askingTurn(s);
    const ask = await s.waitFor(isServerRequest);
    expect(ask).toMatchObject({
      method: "item/commandExecution/requestApproval",
      params: {
        itemId: "call_1",
        command: expect.stringContaining(`echo hi > ${file}`),
        cwd: codex.workspace,
        availableDecisions: expect.arrayContaining(["accept", "cancel"]),
      },
    });
    expect(existsSync(file)).toBe(false);
    s.respond(ask.id as number, { decision: "accept" });
    const done = await s.waitFor(turnCompleted);
    expect(turnStatus(done)).toBe("completed");
    expect(readFileSync(file, "utf8")).toBe("hi\n");
  });

  it("decline skips the command, tells the model, and the turn goes on", async () => {
    const file = join(codex.workspace, "out.txt");
    fake.script(shell(`echo hi > ${file}`), text("carrying on"));
    const s = await server();
    await askingTurn(s);
    const ask = await s.waitFor(isServerRequest);
    s.respond(ask.id as number, { decision: "decline" });
    const done = await s.waitFor(turnCompleted);
    expect(turnStatus(done)).toBe("completed");
    expect(existsSync(file)).toBe(false);
    const item = await s.waitFor(completedItem("commandExecution"));
    expect(item.params?.item).toMatchObject({ status: "declined" });
    expect(outputs()).toEqual([expect.stringContaining("rejected by user")]);
  });

  it("cancel skips the command and ends the turn interrupted", async () => {
    fake.script(shell("echo hi"), text("never"));
    const s = await server();
    await askingTurn(s);
    const ask = await s.waitFor(isServerRequest);
    s.respond(ask.id as number, { decision: "cancel" });
    const done = await s.waitFor(turnCompleted);
    expect(turnStatus(done)).toBe("interrupted");
    expect(fake.requests).toHaveLength(1);
  });

  it("acceptForSession: the same command does not ask again in a later turn", async () => {
    const file = join(codex.workspace, "out.txt");
    const command = `echo hi >> ${file}`;
    fake.script(shell(command), text("one"), shell(command), text("two"));
    const s = await server();
    const threadId = await askingTurn(s);
    const ask = await s.waitFor(isServerRequest);
    // The engine's translation of an allow with scope "session".
    const session = { decision: "allow", scope: "session", answers: null } as const;
    s.respond(
      ask.id as number,
      codexApprovalResponse(String(ask.method), ask.params ?? {}, session),
    );
    await s.waitFor(turnCompleted);
    const next = s.lines.length;
    await s.call("turn/start", {
      threadId,
      input: [{ type: "text", text: "again", text_elements: [] }],
    });
    await s.waitFor(turnCompleted, next);
    expect(s.lines.slice(next).filter(isServerRequest)).toEqual([]);
    expect(readFileSync(file, "utf8")).toBe("hi\nhi\n");
  });

  it("a file change asks by itemId; its changes are on the fileChange item before", async () => {
    const file = join(codex.workspace, "added.txt");
    fake.script(addFile(file, "patched"), text("after"));
    const s = await server();
    await askingTurn(s, { sandbox: "read-only" });
    const ask = await s.waitFor(isServerRequest);
    expect(ask).toMatchObject({
      method: "item/fileChange/requestApproval",
      params: { itemId: "call_1", reason: null },
    });
    const started = await s.waitFor(
      (l) => l.method === "item/started" && l.params?.item?.id === ask.params?.itemId,
    );
    expect(started.params?.item).toMatchObject({
      type: "fileChange",
      changes: [{ path: file, kind: { type: "add" } }],
    });
    s.respond(ask.id as number, { decision: "accept" });
    await s.waitFor(turnCompleted);
    expect(readFileSync(file, "utf8")).toBe("patched\n");
  });

  it("user input (plan collaboration mode) asks with question ids; answers go back by id", async () => {
    fake.script(
      requestUserInput([
        {
          id: "db",
          header: "Database",
          question: "Which database?",
          options: [
            { label: "SQLite", description: "file" },
            { label: "Postgres", description: "server" },
          ],
        },
      ]),
      text("noted"),
    );
    const s = await server();
    await askingTurn(s, {
      turn: { collaborationMode: { mode: "plan", settings: { model: fakeModel } } },
    });
    const ask = await s.waitFor(isServerRequest);
    expect(ask).toMatchObject({
      method: "item/tool/requestUserInput",
      params: { questions: [expect.objectContaining({ id: "db", question: "Which database?" })] },
    });
    // The API's answers are keyed by question text; the engine's translation keys them by id.
    const answers = { "Which database?": "Postgres" };
    const allow = { decision: "allow", scope: "once", answers } as const;
    s.respond(ask.id as number, codexApprovalResponse(String(ask.method), ask.params ?? {}, allow));
    await s.waitFor(turnCompleted);
    expect(outputs()).toEqual([JSON.stringify({ answers: { db: { answers: ["Postgres"] } } })]);
  });

  it("turn/interrupt withdraws a pending request (serverRequest/resolved); nothing runs", async () => {
    const file = join(codex.workspace, "out.txt");
    fake.script(shell(`echo hi > ${file}`));
    const s = await server();
    const threadId = await askingTurn(s);
    const ask = await s.waitFor(isServerRequest);
    const turnId = ask.params?.turnId;
    const from = s.lines.length;
    await s.call("turn/interrupt", { threadId, turnId });
    const withdrawn = await s.waitFor((l) => l.method === "serverRequest/resolved", from);
    expect(withdrawn.params).toMatchObject({ threadId, requestId: ask.id });
    expect(turnStatus(await s.waitFor(turnCompleted, from))).toBe("interrupted");
    expect(existsSync(file)).toBe(false);
  });

  it("a request pending when the app-server dies is gone: the resumed turn is interrupted", async () => {
    const file = join(codex.workspace, "out.txt");
    fake.script(shell(`echo hi > ${file}`));
    const first = await server();
    const threadId = await askingTurn(first);
    await first.waitFor(isServerRequest);
    first.kill("SIGKILL");
    await first.close();
    const second = await server();
    const resumed = await second.call("thread/resume", {
      threadId,
      cwd: codex.workspace,
      approvalPolicy: "untrusted",
      sandbox: "danger-full-access",
    });
    const turns =
      (resumed.result?.thread as { turns: Array<{ status: string }> } | undefined)?.turns ?? [];
    expect(turns.map((t) => t.status)).toEqual(["interrupted"]);
    expect(existsSync(file)).toBe(false);
  });
});
