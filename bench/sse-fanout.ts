import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { TEST_SECRET } from "../test/support/engine-harness.js";
import { waitUntil } from "../test/support/wait-until.js";
import { startBenchServer } from "./bench-process.js";
import type { BenchRow } from "./bench-row.js";
import { benchTempDir } from "./bench-temp.js";
import { type EngineChild, startEngineChild } from "./engine-child.js";
import { countFrames, type FrameCounter } from "./sse-frames.js";
import { interleavedMedians } from "./stats.js";

/** Subscribers, and deltas per turn so each case delivers a few hundred thousand frames. */
const CASES = [
  { subscribers: 100, deltas: 2_000 },
  { subscribers: 1_000, deltas: 300 },
];

const ROUNDS = 3;
const headers = { "x-replicas-engine-secret": TEST_SECRET };

/**
 * SSE fan-out of one chat's turn to N clients of /events, two ways:
 *  - live: the clients follow the head, then the turn streams; the clock runs from the message
 *    to the last client's completed frame (so it includes producing the turn);
 *  - catch-up: the turn is committed, then the N clients connect from before it; the clock runs
 *    from the first connect to the last completed frame (delivery alone).
 * The floor for both: a raw node:http process writing the very same frames to as many sockets.
 */
export async function benchSseFanout(): Promise<BenchRow[]> {
  const engine = await startEngineChild("fanout");
  const rows: BenchRow[] = [];
  try {
    await engine.client.createChat({ provider: "claude", chatId: "fanout" });
    await engine.client.sendMessage("fanout", { text: "stream 100" }); // warm-up
    await untilIdle(engine);
    for (const { subscribers, deltas } of CASES) {
      const head = async () => (await engine.client.status()).position;
      let latest = 0; // where the newest turn starts: catching up from there reads it alone
      const live = async () => {
        const after = await head();
        latest = after;
        const send = () => engine.client.sendMessage("fanout", { text: `stream ${deltas}` });
        const result = await measure(subscribers, `${engine.url}/events?after=${after}`, send);
        await untilIdle(engine);
        return result;
      };
      // A first turn gives the frames the raw server sends. A turn's frame count may differ by
      // an event or two the engine records meanwhile; each run counts its own.
      const first = await live();
      const file = join(benchTempDir("fanout"), "frames.txt");
      writeFileSync(file, turnFrames(first.text));
      const raw = await startBenchServer("raw-sse-server", [file]);
      try {
        const rates = await interleavedMedians(ROUNDS, {
          live: async () => (await live()).rate,
          catchUp: async () =>
            (await measure(subscribers, `${engine.url}/events?after=${latest}`)).rate,
          rawLive: async () =>
            (
              await measure(subscribers, `${raw.url}/events`, () =>
                fetch(raw.url, { method: "POST" }),
              )
            ).rate,
          rawCatchUp: async () => (await measure(subscribers, `${raw.url}/events?now`)).rate,
        });
        for (const [name, engineRate, rawRate] of [
          ["live", rates.live, rates.rawLive],
          ["catch_up", rates.catchUp, rates.rawCatchUp],
        ] as const) {
          rows.push(
            {
              name: `sse.fanout_${subscribers}.${name}.raw_socket_writes`,
              value: rawRate,
              unit: "deliveries/s",
            },
            {
              name: `sse.fanout_${subscribers}.${name}.engine`,
              value: engineRate,
              unit: "deliveries/s",
              ratio: engineRate / rawRate,
              goal: ">= 0.5",
              note: `${first.frames} frames to each of ${subscribers}, median of ${ROUNDS}`,
            },
          );
        }
      } finally {
        await raw.stop();
      }
    }
  } finally {
    await engine.stop();
  }
  return rows;
}

/** The frames of one turn: from the first after the preamble to the completed one. */
function turnFrames(text: string): string {
  const start = text.indexOf("id: ");
  const completed = text.indexOf("\nevent: chat.turn.completed", start);
  const end = completed === -1 ? -1 : text.indexOf("\n\n", completed);
  if (start === -1 || end === -1) throw new Error("the recorded turn has no whole completed frame");
  return text.slice(start, end + 2);
}

async function untilIdle(engine: EngineChild): Promise<void> {
  await waitUntil(
    async () => (await engine.client.getChat("fanout")).chat.status === "idle",
    "the turn ends",
    60_000,
  );
}

/**
 * Opens N counting clients; with a trigger, waits for their preambles and starts the clock at
 * the trigger, otherwise starts it before connecting. Deliveries/s = N x frames / elapsed.
 */
async function measure(
  subscribers: number,
  url: string,
  trigger?: () => Promise<unknown>,
): Promise<{ rate: number; frames: number; text: string }> {
  let started = performance.now();
  const clients: FrameCounter[] = Array.from({ length: subscribers }, (_, i) =>
    countFrames(url, { headers, record: i === 0 }),
  );
  try {
    if (trigger) {
      await Promise.all(clients.map((c) => c.ready));
      started = performance.now();
      void trigger();
    }
    const finished = Math.max(...(await Promise.all(clients.map((c) => c.done))));
    const frames = clients[0]?.frames() ?? 0;
    const short = clients.filter((c) => c.frames() !== frames).length;
    if (short > 0) throw new Error(`${short} subscribers did not get all ${frames} frames`);
    return {
      rate: (frames * subscribers) / ((finished - started) / 1000),
      frames,
      text: clients[0]?.text() ?? "",
    };
  } finally {
    for (const c of clients) c.close();
  }
}
