import { request } from "node:http";
import { createParser } from "eventsource-parser";
import { TEST_SECRET } from "../test/support/engine-harness.js";
import { rawSingleAppendRate } from "./append.js";
import type { BenchRow } from "./bench-row.js";
import { startEngineChild } from "./engine-child.js";
import { percentile } from "./stats.js";

const CHATS = 20;
const BURST = 500;
const DRIP = { deltas: 200, everyMs: 10 };

interface Round {
  events: number;
  seconds: number;
  latencies: number[];
}

/**
 * End to end through the actors, the recorder, the log and /events to one SSE client in another
 * process, with 20 chats. Each delta carries the provider's Date.now(), so the client measures
 * provider-to-client latency. Two loads:
 *  - burst: every chat streams 500 deltas as fast as it can (`stream`): events/s against raw
 *    single-event inserts, and the latency of a saturated engine (mostly queueing);
 *  - paced: every chat sends a delta each 10 ms (`drip`, 2,000 deltas/s in all): the latency a
 *    user sees, including the recorder's coalescing under a backlog (src/chats/chat-recorder.ts).
 */
export async function benchEndToEnd(): Promise<BenchRow[]> {
  const engine = await startEngineChild("e2e");
  try {
    const chatIds = Array.from({ length: CHATS }, (_, i) => `e2e-${i}`);
    for (const chatId of chatIds) await engine.client.createChat({ provider: "claude", chatId });
    const run = async (text: string): Promise<Round> => {
      const { position } = await engine.client.status();
      const stream = subscribe(`${engine.url}/events?after=${position}`, CHATS);
      const started = performance.now();
      await Promise.all(chatIds.map((chatId) => engine.client.sendMessage(chatId, { text })));
      const round = await stream;
      return { ...round, seconds: (performance.now() - started) / 1000 };
    };
    await run("stream 50"); // warm-up
    const burst = await run(`stream ${BURST}`);
    const paced = await run(`drip ${DRIP.deltas} ${DRIP.everyMs}`);
    const limit = rawSingleAppendRate();
    const rate = burst.events / burst.seconds;
    return [
      {
        name: "e2e.20_chats.burst.sse_events",
        value: rate,
        unit: "events/s",
        ratio: rate / limit,
        note: `${burst.events} events; ratio vs raw single-event inserts`,
      },
      {
        name: "e2e.20_chats.burst.latency_p50",
        value: percentile(burst.latencies, 0.5),
        unit: "ms",
        note: "provider output to SSE client, saturated",
      },
      {
        name: "e2e.20_chats.burst.latency_p99",
        value: percentile(burst.latencies, 0.99),
        unit: "ms",
      },
      {
        name: "e2e.20_chats.paced.latency_p50",
        value: percentile(paced.latencies, 0.5),
        unit: "ms",
        note: `a delta per chat every ${DRIP.everyMs} ms; includes coalescing`,
      },
      {
        name: "e2e.20_chats.paced.latency_p99",
        value: percentile(paced.latencies, 0.99),
        unit: "ms",
      },
    ];
  } finally {
    await engine.stop();
  }
}

/** Counts every event until `turns` turns have completed; records each delta's latency. */
function subscribe(url: string, turns: number): Promise<Omit<Round, "seconds">> {
  const latencies: number[] = [];
  let events = 0;
  let completed = 0;
  return new Promise<Omit<Round, "seconds">>((resolve, reject) => {
    const parser = createParser({
      onEvent: (message) => {
        const now = Date.now();
        events++;
        if (message.event === "chat.item.delta") {
          const event = JSON.parse(message.data) as { data: { text: string } };
          for (const sent of event.data.text.split(" ")) {
            if (sent) latencies.push(now - Number(sent));
          }
        } else if (message.event === "chat.turn.completed" && ++completed === turns) {
          req.destroy();
          resolve({ events, latencies });
        }
      },
    });
    const req = request(url, { headers: { "x-replicas-engine-secret": TEST_SECRET } }, (res) => {
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => parser.feed(chunk));
    });
    req.on("error", (error) => {
      if (completed < turns) reject(error);
    });
    req.end();
  });
}
