/**
 * A hostile stand-in for `claude` and `codex` (selected with REPLICAS_CLAUDE_BIN /
 * REPLICAS_CODEX_BIN through the wrapper of index.ts). It speaks just enough of each protocol
 * (`claude -p --input-format stream-json ...`, `codex app-server`) and misbehaves on demand, by
 * the text of the user's message:
 * - `flood`: writes FAKE_AGENT_FLOOD_MIB (default 64) MiB on stdout without a newline;
 * - `hold`: starts a grandchild (`sleep 90`) that ignores SIGTERM/SIGINT and inherits stdout,
 *   writes `agent.pid` and `grandchild.pid` into the chat's directory, then never answers
 *   (the protocol's interrupt is ignored too);
 * - `leak`: writes a long stderr with the API key 10 characters before the 4 KB tail's start,
 *   then exits 3;
 * - anything else: answers "fake reply" and ends the turn.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

const isCodex = process.argv.includes("app-server");
const TAIL = 4096;

function send(message: unknown): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function flood(): void {
  const mib = Number(process.env.FAKE_AGENT_FLOOD_MIB ?? "64");
  const chunk = Buffer.alloc(1024 * 1024, "x");
  let left = mib;
  const write = () => {
    while (left > 0) {
      left -= 1;
      if (!process.stdout.write(chunk)) return void process.stdout.once("drain", write);
    }
  };
  write();
}

function hold(cwd: string): void {
  const child = spawn("sh", ["-c", "trap '' TERM INT; exec sleep 90"], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  writeFileSync(join(cwd, "agent.pid"), String(process.pid));
  writeFileSync(join(cwd, "grandchild.pid"), String(child.pid));
}

function leak(): never {
  const key = process.env.ANTHROPIC_API_KEY ?? process.env.OPENAI_API_KEY ?? "";
  // The key ends 10 characters after the point where a 4 KB tail of the raw text starts.
  process.stderr.write(`starting\nrequest failed with key=${key}`);
  process.stderr.write(`${"e".repeat(TAIL - 10)}`);
  process.exit(3);
}

/** What the text asks for; true when the fake answers normally. */
function misbehave(text: string, cwd: string): boolean {
  if (text === "flood") flood();
  else if (text === "hold") hold(cwd);
  else if (text === "leak") leak();
  else return true;
  return false;
}

function claude(): void {
  const session = "fake-session-0001";
  createInterface({ input: process.stdin }).on("line", (raw) => {
    const line = JSON.parse(raw) as { type: string; message?: { content?: { text?: string }[] } };
    if (line.type !== "user") return;
    send({ type: "system", subtype: "init", session_id: session });
    if (!misbehave(line.message?.content?.[0]?.text ?? "", process.cwd())) return;
    const id = `msg-${Date.now()}`;
    send({
      type: "assistant",
      message: { id, role: "assistant", content: [{ type: "text", text: "fake reply" }] },
      session_id: session,
    });
    send({
      type: "result",
      subtype: "success",
      is_error: false,
      result: "fake reply",
      session_id: session,
    });
  });
}

function codex(): void {
  let threads = 0;
  let turns = 0;
  createInterface({ input: process.stdin }).on("line", (raw) => {
    const msg = JSON.parse(raw) as {
      id?: number;
      method?: string;
      params?: Record<string, unknown>;
    };
    if (msg.id === undefined) return;
    const params = msg.params ?? {};
    switch (msg.method) {
      case "initialize":
        return send({ id: msg.id, result: { userAgent: "fake-codex" } });
      case "thread/start":
        threads += 1;
        return send({
          id: msg.id,
          result: { thread: { id: `fake-thread-${threads}` }, model: "fake" },
        });
      case "thread/resume":
        return send({ id: msg.id, result: { thread: { id: params.threadId }, model: "fake" } });
      case "turn/start": {
        turns += 1;
        const threadId = String(params.threadId);
        const turnId = `fake-turn-${turns}`;
        send({ id: msg.id, result: { turn: { id: turnId } } });
        const input = params.input as { text?: string }[] | undefined;
        if (!misbehave(input?.[0]?.text ?? "", String(params.cwd))) return;
        const item = { type: "agentMessage", id: `item-${turns}`, text: "fake reply" };
        send({ method: "item/completed", params: { threadId, turnId, item } });
        return send({
          method: "turn/completed",
          params: { threadId, turn: { id: turnId, status: "completed", error: null } },
        });
      }
      case "turn/interrupt":
        // Ignored, like a wedged agent: the engine must escalate.
        return send({ id: msg.id, result: {} });
      default:
        return send({ id: msg.id, result: {} });
    }
  });
}

if (process.argv.includes("--version")) {
  process.stdout.write("fake-agent 9.9.9\n");
} else if (isCodex) {
  codex();
} else {
  claude();
}
