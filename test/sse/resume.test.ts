import { randomInt } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/engine-harness.js";
import { openSse } from "../support/sse-reader.js";
import { waitUntil } from "../support/wait-until.js";

let engine: Harness;
beforeAll(async () => {
  engine = await startHarness();
});
afterAll(() => engine.stop());

/** The whole log as one catch-up read: what a client that never dropped would have seen. */
async function wholeLog(until: number) {
  const connection = openSse(`${engine.url}/events?after=0`);
  await waitUntil(
    () => connection.messages.at(-1)?.id === until,
    "the catch-up read reaches the end",
  );
  connection.close();
  return connection.messages;
}

describe("SSE resume", () => {
  it("a client that disconnects at random moments 100 times gets every event exactly once, in order", async () => {
    await engine.client.createChat({ chatId: "r1", provider: "claude" });
    let producing = true;
    const producer = (async () => {
      for (let i = 0; producing; i++) {
        await engine.client.sendMessage("r1", {
          text: `reply ${"word ".repeat(randomInt(1, 30))}${i}`,
        });
        await sleep(randomInt(0, 15));
      }
    })();

    const received: number[] = [];
    let lastId = 0;
    for (let round = 0; round < 100; round++) {
      const connection = openSse(`${engine.url}/events`, { "last-event-id": String(lastId) });
      expect(await connection.status).toBe(200);
      await sleep(randomInt(1, 40));
      connection.close();
      await connection.ended;
      for (const message of connection.messages) received.push(message.id);
      lastId = connection.messages.at(-1)?.id ?? lastId;
    }
    producing = false;
    await producer;
    await waitUntil(
      async () => (await engine.client.getChat("r1")).chat.status === "idle",
      "the last turn ends",
    );
    const { position } = await engine.client.status();
    const tail = openSse(`${engine.url}/events`, { "last-event-id": String(lastId) });
    await waitUntil(() => (tail.messages.at(-1)?.id ?? lastId) === position, "the tail is read");
    tail.close();
    received.push(...tail.messages.map((m) => m.id));

    const expected = (await wholeLog(position)).map((m) => m.id);
    expect(received.length).toBeGreaterThan(500);
    expect(received).toEqual(expected);
  });

  it("a snapshot and then the stream from its position: no gap and no duplicate", async () => {
    await engine.client.createChat({ chatId: "s1", provider: "claude" });
    const busy = Array.from({ length: 20 }, (_, i) =>
      engine.client.sendMessage("s1", { text: `reply snapshot ${i}` }),
    );
    await sleep(5);
    const snapshot = await engine.client.getChat("s1");
    await Promise.all(busy);
    await waitUntil(
      async () => (await engine.client.getChat("s1")).chat.counters.completed === 20,
      "all turns complete",
    );
    const { position } = await engine.client.status();
    const all = await wholeLog(position);
    const stream = openSse(`${engine.url}/events?after=${snapshot.position}`);
    await waitUntil(() => stream.messages.at(-1)?.id === position, "the stream catches up");
    stream.close();
    expect(stream.messages.map((m) => m.id)).toEqual(
      all.filter((m) => m.id > snapshot.position).map((m) => m.id),
    );
  });
});
