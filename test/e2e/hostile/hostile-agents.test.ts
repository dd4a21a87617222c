import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { processRunning } from "../../support/processes.js";
import { waitUntil } from "../../support/wait-until.js";
import { FAKE_KEYS, type HostileEngine, startHostileEngine } from "./hostile-engine.js";

const agents = ["claude", "codex"] as const;

/** Every run of 6 characters of the key: none may appear anywhere. */
function keyFragments(key: string): string[] {
  const fragments: string[] = [];
  for (let start = 0; start + 6 <= key.length; start += 1)
    fragments.push(key.slice(start, start + 6));
  return fragments;
}

/**
 * The engine outlives any agent process (issue 11, A): fake agent CLIs of the project's own that
 * flood stdout, wedge it with a grandchild, or leak a key on stderr, through the real engine.
 */
describe("hostile agent processes through the engine", () => {
  let e: HostileEngine;

  beforeAll(async () => {
    e = await startHostileEngine();
  });
  afterAll(() => e.close());

  test.each(agents)(
    "%s: a 64 MiB line without a newline fails that turn with provider_line_too_long; another chat still works",
    async (provider) => {
      const { chatId } = await e.chat(`flood-${provider}`, provider);
      const flood = await e.send(chatId, "flood");
      const end = await flood.ended;
      expect(end.type).toBe("chat.turn.failed");
      expect(end.type === "chat.turn.failed" && end.data.error).toMatchObject({
        code: "provider_line_too_long",
        details: { maxLineBytes: 32 * 1024 * 1024 },
      });

      const other = await e.chat(`after-flood-${provider}`, provider);
      const next = await e.send(other.chatId, "hello");
      expect((await next.ended).type).toBe("chat.turn.completed");
      expect((await e.client.health()).status).toBeDefined();
    },
  );

  test.each(agents)(
    "%s: a grandchild holding stdout and ignoring signals does not wedge the chat; nothing survives",
    async (provider) => {
      const { chatId, cwd } = await e.chat(`hold-${provider}`, provider);
      const held = await e.send(chatId, "hold");
      const pids = await e.heldPids(cwd);
      expect(processRunning(pids.grandchild)).toBe(true);

      await e.client.interrupt(chatId);
      expect((await held.ended).type).toBe("chat.turn.interrupted");
      const next = await e.send(chatId, "hello");
      expect((await next.ended).type).toBe("chat.turn.completed");
      // Claude's process is the chat's own: its group goes with the interrupt. Codex's app-server
      // is shared: the wedged one is killed (with its group) when the chat's next turn needs it.
      // The two die apart (the agent's stop goes through its grace period, the grandchild's group
      // is killed outright), in either order: wait for each.
      await waitUntil(() => !processRunning(pids.grandchild), "the grandchild is gone", 15_000);
      await waitUntil(() => !processRunning(pids.agent), "the agent is gone", 15_000);

      // A second wedge, then DELETE: it answers, and the new grandchild goes with the chat.
      const again = await e.chat(`hold-delete-${provider}`, provider);
      await e.send(again.chatId, "hold");
      const second = await e.heldPids(again.cwd);
      await e.client.deleteChat(again.chatId);
      await waitUntil(() => !processRunning(second.grandchild), "the grandchild is gone", 15_000);
      await waitUntil(() => !processRunning(second.agent), "the agent is gone", 15_000);
    },
  );

  test.each(agents)(
    "%s: a key straddling the 4 KB stderr cut reaches neither the error, the SSE stream nor the log",
    async (provider) => {
      const { chatId } = await e.chat(`leak-${provider}`, provider);
      const leak = await e.send(chatId, "leak");
      const end = await leak.ended;
      expect(end.type).toBe("chat.turn.failed");
      const error = end.type === "chat.turn.failed" ? end.data.error : null;
      expect(error?.code).toBe("provider_process_exited");
      const tail = String(error?.details?.stderrTail);
      expect(tail).toContain("eeee");
      const key = provider === "claude" ? FAKE_KEYS.ANTHROPIC_API_KEY : FAKE_KEYS.OPENAI_API_KEY;
      const everything = [JSON.stringify(end), e.engine.output()].join("\n");
      for (const fragment of keyFragments(key)) expect(everything).not.toContain(fragment);
    },
  );

  test("engine stop while both agents hold a grandchild: it completes and no process survives", async () => {
    const held = [];
    for (const provider of agents) {
      const { chatId, cwd } = await e.chat(`hold-stop-${provider}`, provider);
      await e.send(chatId, "hold");
      held.push(await e.heldPids(cwd));
    }
    // The stop completes, and cleanly.
    expect(await e.restart("SIGTERM")).toBe(0);
    for (const pids of held) {
      expect(processRunning(pids.agent)).toBe(false);
      expect(processRunning(pids.grandchild)).toBe(false);
    }
  });

  test("after a SIGKILL of the engine, the next boot kills the agents' groups the dead run left", async () => {
    const held = [];
    for (const provider of agents) {
      const { chatId, cwd } = await e.chat(`hold-kill-${provider}`, provider);
      await e.send(chatId, "hold");
      held.push(await e.heldPids(cwd));
    }
    await e.restart("SIGKILL");
    for (const pids of held) {
      await waitUntil(() => !processRunning(pids.agent), "the agent is gone", 15_000);
      await waitUntil(() => !processRunning(pids.grandchild), "the grandchild is gone", 15_000);
    }
    // The reap runs when the agents' code loads, after the first answer (architecture.md, boot):
    // its line can reach the pipe after the processes are seen gone.
    await waitUntil(
      () => e.engine.output().includes("killed agent processes left by the previous run"),
      "the boot says it killed them",
    );
  });
});
