import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { processAlive, processRunning } from "../../support/processes.js";
import { waitUntil } from "../../support/wait-until.js";
import { type ClaudeEngine, startClaudeEngine } from "./claude-engine.js";

/** Real CLI processes come and go on two shared cores: slow, but never this slow. */
const PROCESS_MS = 30_000;

/** The spare `claude` the engine keeps for the next new chat (on by default). */
describe("the spare claude process through the engine", () => {
  let e: ClaudeEngine;

  beforeAll(async () => {
    e = await startClaudeEngine({ env: { REPLICAS_CLAUDE_SPARE: "1" } });
  });
  afterAll(() => e.close());

  const claudeCount = (count: number) =>
    waitUntil(
      async () => {
        const pids = await e.claudePids();
        return pids.length === count ? pids : undefined;
      },
      `the engine runs ${count} claude processes`,
      PROCESS_MS,
    );

  const newChatTurn = async (chatId: string, cwd: string) => {
    await e.client.createChat({ chatId, provider: "claude", cwd });
    expect((await e.turn(chatId, `hello from ${chatId}`)).type).toBe("chat.turn.completed");
  };

  test("a second chat in the same cwd runs on the spare; SIGKILL and SIGTERM leave none running", async () => {
    const cwd = await e.repo("spare");
    await newChatTurn("spare-a", cwd);
    // The chat's own process and, started after its turn, the spare.
    await claudeCount(2);
    await e.client.deleteChat("spare-a");
    const [spare] = await claudeCount(1);

    await newChatTurn("spare-b", cwd);
    const history = await e.items("spare-b");
    expect(history.map((item) => item.type)).toEqual(["user_message", "assistant_text"]);
    const pids = await claudeCount(2);
    expect(pids).toContain(spare);
    // Deleting the second chat stops the process it ran on: the spare.
    await e.client.deleteChat("spare-b");
    await waitUntil(() => !processAlive(spare as number), "the taken spare exits", PROCESS_MS);
    const [next] = await claudeCount(1);
    expect(next).not.toBe(spare);

    // A killed engine leaves its spare behind; the next boot kills it (recorded process group).
    await e.restart("SIGKILL");
    await waitUntil(
      () => !processRunning(next as number),
      "the next boot reaps the old spare",
      PROCESS_MS,
    );

    await newChatTurn("spare-c", cwd);
    // Its chat's process and a spare.
    const running = await claudeCount(2);
    await e.restart("SIGTERM");
    for (const pid of running) {
      await waitUntil(() => !processRunning(pid), `claude ${pid} ends with the engine`, PROCESS_MS);
    }
  });
});
