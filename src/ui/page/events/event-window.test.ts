import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../../../../test/support/engine-harness.js";
import { waitUntil } from "../../../../test/support/wait-until.js";
import { EventWindow, LIVE_CAP, matches, readEarlier, readRange } from "./event-window.js";

let engine: Harness;
let head = 0;
let chatId = "";
beforeAll(async () => {
  engine = await startHarness();
  const { chat } = await engine.client.createChat({ provider: "claude" });
  chatId = chat.chatId;
  await engine.client.createChat({ provider: "codex" });
  await engine.client.sendMessage(chatId, { text: "stream 700" });
  await waitUntil(
    async () => (await engine.client.getChat(chatId)).chat.counters.completed === 1,
    "the streaming turn has completed",
    50_000,
  );
  head = (await engine.client.status()).position;
});
afterAll(() => engine.stop());

describe("reading the log back for the events view", () => {
  it("readRange answers exactly the events in (after, through], in order, and stops there", async () => {
    const events = await readRange(engine.client, 10, 40);
    expect(events.map((e) => e.position)).toEqual(Array.from({ length: 30 }, (_, i) => 11 + i));
    expect(await readRange(engine.client, 40, 40)).toEqual([]);
  });

  it("readEarlier steps back until enough events match, with no gap before what is loaded", async () => {
    const filter = { type: "chat.created", chatId: "" };
    const { events, from } = await readEarlier(engine.client, head, 2, filter);
    // Both chats were created at the log's start: reading goes back to position 0.
    expect(from).toBe(0);
    expect(events.map((e) => e.position)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(events.filter((e) => matches(e, filter))).toHaveLength(2);

    const recent = await readEarlier(engine.client, head, 100, { type: "", chatId });
    expect(recent.from).toBe(head - 500);
    expect(recent.events[0]?.position).toBe(head - 499);
  });

  it("an EventWindow stays one contiguous stretch of the log as pages and live batches arrive", async () => {
    const window = new EventWindow(head - 100);
    const page = await readEarlier(engine.client, window.earliest, 10, { type: "", chatId: "" });
    window.prepend(page.events, page.from);
    window.append(await readRange(engine.client, head - 100, head));
    const positions = window.events.map((e) => e.position);
    expect(positions[0]).toBe(window.earliest + 1);
    expect(positions.at(-1)).toBe(head);
    expect(positions.every((p, i) => i === 0 || p === (positions[i - 1] ?? 0) + 1)).toBe(true);
    // The codex chat was only created, at the log's start, before this stretch.
    expect([...window.chats]).toEqual([chatId]);
    expect(window.types).toContain("chat.item.delta");
  });

  it("a window following the live stream keeps the newest LIVE_CAP events", () => {
    const window = new EventWindow(0);
    const fake = (position: number) => ({ position, type: "x", data: {} }) as never;
    for (let p = 1; p <= LIVE_CAP + 3_000; p += 1_000)
      window.append(Array.from({ length: 1_000 }, (_, i) => fake(p + i)));
    expect(window.events).toHaveLength(LIVE_CAP);
    expect(window.earliest).toBe(3_000);
    expect(window.events[0]?.position).toBe(3_001);
  });
});
