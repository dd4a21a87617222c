import { randomInt } from "node:crypto";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { EngineApiError } from "../src/client/engine-api-error.js";
import { EngineClient } from "../src/client/engine-client.js";
import type { EngineEvent } from "../src/events/catalogue.js";
import { runCli } from "./support/cli.js";
import { TEST_SECRET } from "./support/engine-harness.js";
import { type EngineProcess, freePort, spawnEngine } from "./support/engine-process.js";
import { useTempDir } from "./support/temp-dir.js";
import { waitUntil } from "./support/wait-until.js";

const tempDir = useTempDir("replicas-crash-reader-");
// Before the CLI drained its output at exit, 10 rounds failed 4 runs in 5 (docs/operations.md).
// CRASH_READER_ROUNDS raises it for a soak run.
const ROUNDS = Number(process.env.CRASH_READER_ROUNDS ?? 10);

interface Read {
  /** The position the command says it read up to. */
  position: number;
  /** Chat ids (chat.created) and message ids (chat.message.queued) it printed. */
  ids: Set<string>;
}

const statedPosition = (text: string) => {
  const match = /up to position (\d+) of log epoch [0-9a-f]{32}/.exec(text);
  expect(match, text).not.toBeNull();
  return Number(match?.[1]);
};

/**
 * `log` as a user runs it, the whole log (thousands of lines, more than a pipe holds): the
 * chats and messages it printed and the position it says it read up to.
 */
async function readLog(db: string): Promise<Read> {
  const result = await runCli(["log", "--db", db]);
  expect(result.exitCode, result.stderr).toBe(0);
  const events = result.stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as EngineEvent);
  const position = statedPosition(result.stderr);
  // Every event up to the stated position, once, in order.
  const positions = events.map((e) => e.position);
  expect(positions).toEqual([...new Set(positions)].sort((a, b) => a - b));
  expect(events.at(-1)?.position ?? 0).toBe(position);
  const ids = events.flatMap((e) =>
    e.type === "chat.created"
      ? [e.data.chatId]
      : e.type === "chat.message.queued"
        ? [e.data.messageId]
        : [],
  );
  return { position, ids: new Set(ids) };
}

/** `replay --check`: the stored read models agree with the log at the position it states. */
async function replayCheck(db: string): Promise<number> {
  const result = await runCli(["replay", "--db", db, "--check"]);
  expect(result.stderr).toBe("");
  expect(result.stdout).toContain("stored read models match the replay");
  expect(result.exitCode).toBe(0);
  return statedPosition(result.stdout);
}

/** Every id of `earlier` (a read that ended before `later` began) and of the ledger is in `later`. */
function expectNotBehind(later: Read, earlier: Read, ledger: readonly string[], what: string) {
  expect(
    ledger.filter((id) => !later.ids.has(id)),
    `${what}: answered but not read`,
  ).toEqual([]);
  expect(
    [...earlier.ids].filter((id) => !later.ids.has(id)),
    `${what}: read before, gone now`,
  ).toEqual([]);
  expect(later.position, what).toBeGreaterThanOrEqual(earlier.position);
}

/**
 * Fires creates and messages (a third of them slow turns) at the engine, a few at a time, until
 * it stops answering; returns the chats it answered 201 and the messages it answered 202: the
 * ledger that every later read must cover.
 */
async function burst(engine: EngineProcess, chats: string[], round: number): Promise<string[]> {
  const client = new EngineClient({ baseUrl: engine.url, secret: TEST_SECRET });
  const answered: string[] = [];
  let alive = true;
  let sent = 0;
  const worker = async (lane: number) => {
    while (alive) {
      const n = sent++;
      try {
        if (chats.length === 0 || randomInt(0, 5) === 0) {
          const chatId = `r${round}-l${lane}-c${n}`;
          await client.createChat({ chatId, provider: "claude" });
          chats.push(chatId);
          answered.push(chatId);
          continue;
        }
        const chatId = chats[randomInt(0, chats.length)] ?? "";
        const messageId = `r${round}-l${lane}-m${n}`;
        const text = randomInt(0, 3) === 0 ? `sleep ${randomInt(20, 400)}` : `reply ${n} ok`;
        const answer = await client.sendMessage(chatId, { text, messageId });
        if (answer.messageId === messageId) answered.push(messageId);
      } catch (error) {
        // A refused message (a deleted chat, ...) is not in the ledger; a dead engine ends the lane.
        if (!(error instanceof EngineApiError)) alive = false;
      }
    }
  };
  const lanes = Array.from({ length: 6 }, (_, lane) => worker(lane));
  // Wait for state, not for time: a random share of the burst answered, then a random moment.
  const target = randomInt(5, 40);
  await waitUntil(() => answered.length >= target, `${target} requests are answered`, 30_000);
  await sleep(randomInt(0, 30));
  engine.child.kill("SIGKILL");
  expect((await engine.child).signal).toBe("SIGKILL");
  alive = false;
  await Promise.all(lanes);
  return answered;
}

describe("reading the log after a crash, while the next engine boots", () => {
  it(`never shows less than an earlier read or than was answered, over ${ROUNDS} SIGKILLs`, async () => {
    const home = tempDir();
    const db = join(home, ".replicas", "engine", "engine.db");
    const port = await freePort();
    const ledger: string[] = [];
    const chats: string[] = [];
    let engine = await spawnEngine(home, port);
    let last: Read = { position: 0, ids: new Set() };
    for (let round = 0; round < ROUNDS; round++) {
      ledger.push(...(await burst(engine, chats, round)));
      // The next engine recovers the log while the readers read it.
      const booting = spawnEngine(home, port);
      const [first, replayed] = await Promise.all([readLog(db), replayCheck(db)]);
      expectNotBehind(first, last, ledger, `round ${round}, first read`);
      expect(replayed).toBeGreaterThanOrEqual(last.position);
      const second = await readLog(db);
      expectNotBehind(second, first, ledger, `round ${round}, second read`);
      expect(second.position).toBeGreaterThanOrEqual(replayed);
      last = second;
      engine = await booting;
    }
    engine.child.kill("SIGTERM");
    expect((await engine.child).exitCode).toBe(0);
    expect(ledger.length).toBeGreaterThanOrEqual(5 * ROUNDS);
  }, 120_000);
});
