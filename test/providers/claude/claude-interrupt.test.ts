import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ClaudeProvider } from "../../../src/providers/claude/claude-provider.js";
import { stall, text, toolUse } from "../../fakes/anthropic/index.js";
import { recordTurn, terminalCount } from "../../support/turn-recorder.js";
import { type ClaudeHarness, itemsOf, startClaudeHarness } from "./claude-harness.js";

async function waitUntilGone(commandLine: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await execa("pgrep", ["-f", commandLine], { reject: false, timeout: 5_000 });
    if (found.exitCode === 1) return;
    if (Date.now() > deadline) throw new Error(`still running: ${commandLine} (${found.stdout})`);
    await sleep(100);
  }
}

/** Stopping turns of the real CLI: protocol interrupt, signals, a kill from outside. */
describe("claude adapter: interrupts with the real CLI", () => {
  let h: ClaudeHarness;
  let provider: ClaudeProvider;

  beforeAll(async () => {
    h = await startClaudeHarness();
    provider = h.provider();
  });
  afterAll(() => h.close());

  async function nextTurnWorks(chatId: string, cwd: string): Promise<void> {
    h.fake.enqueue(text("Still here."));
    const next = recordTurn(provider, h.request(chatId, "are you still there?", cwd));
    expect((await next.ended).kind).toBe("completed");
    expect(itemsOf(next.outputs, "assistant_text").map((i) => i.text)).toEqual(["Still here."]);
  }

  test("interrupt while text streams: interrupted within 2 s, the same process takes the next turn", async () => {
    const cwd = await h.repo("int-stream");
    h.fake.enqueue(text("word ".repeat(200), { chunks: 100, delayMs: 100 }));
    const turn = recordTurn(provider, h.request("chat-int-stream", "talk slowly", cwd));
    await turn.waitFor((o) => o.kind === "delta");
    const pid = provider.processId("chat-int-stream");
    const asked = Date.now();
    turn.handle.interrupt();
    const end = await turn.ended;
    expect(end.kind).toBe("interrupted");
    expect(Date.now() - asked).toBeLessThan(2_000);
    await sleep(300);
    expect(terminalCount(turn.outputs)).toBe(1);
    expect(provider.processId("chat-int-stream")).toBe(pid);
    await nextTurnWorks("chat-int-stream", cwd);
    expect(provider.processId("chat-int-stream")).toBe(pid);
  });

  test("interrupt while a long Bash tool runs (30 s): interrupted within 2 s, next turn works", async () => {
    const cwd = await h.repo("int-bash");
    h.fake.enqueue(
      toolUse("Bash", {
        command: "timeout 30 tail -f /dev/null; echo waited",
        description: "wait a long time",
      }),
    );
    const turn = recordTurn(
      provider,
      h.request("chat-int-bash", "wait", cwd, { permissionMode: "bypassPermissions" }),
    );
    await turn.waitFor((o) => o.kind === "item" && o.item.type === "tool_call");
    await sleep(500); // let the command start
    const asked = Date.now();
    turn.handle.interrupt();
    const end = await turn.ended;
    expect(end.kind).toBe("interrupted");
    expect(Date.now() - asked).toBeLessThan(2_000);
    expect(terminalCount(turn.outputs)).toBe(1);
    // The CLI stopped the command it was running.
    await waitUntilGone("tail -f /dev/null", 5_000);
    await nextTurnWorks("chat-int-bash", cwd);
  });

  test("signal (SIGINT) ends the turn as interrupted; the next turn resumes in a new process", async () => {
    const cwd = await h.repo("int-sigint");
    h.fake.enqueue(text("slow ".repeat(200), { chunks: 100, delayMs: 100 }));
    const turn = recordTurn(provider, h.request("chat-sigint", "talk", cwd));
    await turn.waitFor((o) => o.kind === "delta");
    const pid = provider.processId("chat-sigint");
    turn.handle.signal();
    expect((await turn.ended).kind).toBe("interrupted");
    await nextTurnWorks("chat-sigint", cwd);
    expect(provider.processId("chat-sigint")).not.toBe(pid);
    expect(terminalCount(turn.outputs)).toBe(1);
  });

  test("kill (SIGKILL) asked by the engine ends the turn as interrupted", async () => {
    const cwd = await h.repo("int-kill");
    h.fake.enqueue(stall());
    const received = h.fake.requests.length;
    const turn = recordTurn(provider, h.request("chat-kill", "hang", cwd));
    await h.fake.waitForRequests(received + 1); // the stalled request is open
    turn.handle.kill();
    expect((await turn.ended).kind).toBe("interrupted");
    await nextTurnWorks("chat-kill", cwd);
  });

  test("the process killed from outside mid-turn: exactly one failed output, then the chat works", async () => {
    const cwd = await h.repo("killed");
    h.fake.enqueue(stall());
    const received = h.fake.requests.length;
    const turn = recordTurn(provider, h.request("chat-killed", "hang", cwd));
    await h.fake.waitForRequests(received + 1);
    const pid = provider.processId("chat-killed");
    expect(pid).toBeTypeOf("number");
    process.kill(pid as number, "SIGKILL");
    const end = await turn.ended;
    expect(end).toMatchObject({
      kind: "failed",
      error: { code: "provider_process_exited", details: { signal: "SIGKILL" } },
    });
    await sleep(500);
    expect(terminalCount(turn.outputs)).toBe(1);
    await nextTurnWorks("chat-killed", cwd);
  });
});
