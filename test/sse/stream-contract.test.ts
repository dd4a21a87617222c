import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultPageCacheLimits } from "../../src/sse/page-cache.js";
import { type Harness, startHarness } from "../support/engine-harness.js";
import { openSse } from "../support/sse-reader.js";
import { waitUntil } from "../support/wait-until.js";

let engine: Harness;
beforeAll(async () => {
  engine = await startHarness({ engine: { stream: { heartbeatMs: 100 } } });
  await engine.client.createChat({ chatId: "f1", provider: "claude" });
  await engine.client.createChat({ chatId: "f2", provider: "claude" });
  await engine.client.sendMessage("f1", { text: "reply one" });
  await engine.client.sendMessage("f2", { text: "reply two" });
  await waitUntil(
    async () => (await engine.client.allChats()).every((c) => c.counters.completed === 1),
    "turns complete",
  );
});
afterAll(() => engine.stop());

describe("SSE contract", () => {
  it("frames carry id = position, event = type, data = the event JSON, with a retry hint and the epoch", async () => {
    const { epoch } = await engine.client.status();
    const response = await fetch(`${engine.url}/events?after=0`, {
      headers: { "x-replicas-engine-secret": "test-secret-0123456789abcdef" },
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    expect(response.headers.get("x-replicas-epoch")).toBe(epoch);
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    await reader.cancel();
    const text = new TextDecoder().decode(value);
    expect(text).toMatch(/^retry: 2000\n: epoch [0-9a-f]{32}\n\n/);
    const frame = /id: (\d+)\nevent: ([\w.]+)\ndata: (.+)\n\n/.exec(text);
    expect(frame).not.toBeNull();
    const event = JSON.parse(frame![3]!);
    expect(event.position).toBe(Number(frame![1]));
    expect(event.type).toBe(frame![2]);
    expect(Object.keys(event)).toEqual([
      "position",
      "eventId",
      "stream",
      "streamVersion",
      "type",
      "schemaVersion",
      "data",
      "recordedAt",
    ]);
  });

  it("filters by chat and by type", async () => {
    const { position } = await engine.client.status();
    const byChat = openSse(`${engine.url}/events?chatId=f2`);
    const byType = openSse(`${engine.url}/events?types=chat.turn.completed,chat.created`);
    await waitUntil(
      () => byChat.messages.some((m) => m.event === "chat.turn.completed"),
      "f2's turn arrives",
    );
    await waitUntil(() => byType.messages.length >= 4, "the typed events arrive");
    byChat.close();
    byType.close();
    expect(byChat.messages.every((m) => JSON.parse(m.data).stream === "chat:f2")).toBe(true);
    expect(new Set(byType.messages.map((m) => m.event))).toEqual(
      new Set(["chat.turn.completed", "chat.created"]),
    );
    expect(byType.messages.every((m) => m.id <= position)).toBe(true);
  });

  it("sends heartbeat comments while there is nothing to send", async () => {
    const { position } = await engine.client.status();
    const idle = openSse(`${engine.url}/events?after=${position}&types=chat.deleted`);
    await waitUntil(() => idle.comments.includes("heartbeat"), "a heartbeat arrives");
    idle.close();
  });

  it("tells a client whose cursor belongs to another log to reset", async () => {
    const { position, epoch } = await engine.client.status();
    const other = openSse(`${engine.url}/events?after=1&epoch=${"0".repeat(32)}`);
    await other.ended;
    expect(other.messages).toEqual([
      {
        id: Number.NaN,
        event: "reset",
        data: JSON.stringify({ reason: "epoch_mismatch", epoch, position }),
      },
    ]);
    const ahead = openSse(`${engine.url}/events`, { "last-event-id": String(position + 1000) });
    await ahead.ended;
    expect(JSON.parse(ahead.messages[0]!.data)).toMatchObject({ reason: "cursor_ahead_of_log" });
    const same = openSse(`${engine.url}/events?after=${position}&epoch=${epoch}`);
    await waitUntil(() => same.comments.length > 0, "the stream opens");
    same.close();
    expect(same.messages).toEqual([]);
  });

  it("a client that stops reading costs at most one page of buffered bytes, then gets everything", async () => {
    const { position: start } = await engine.client.status();
    const slow = openSse(`${engine.url}/events?after=${start}`);
    await waitUntil(() => slow.comments.length > 0, "the slow stream opens");
    slow.pause();
    await engine.client.createChat({ chatId: "big", provider: "claude" });
    for (let i = 0; i < 10; i++) await engine.client.sendMessage("big", { text: "stream 2000" });
    let maxBuffered = 0;
    const buffered = async () => {
      const status = (await engine.client.status()) as unknown as {
        streams: { maxBufferedBytes: number };
      };
      maxBuffered = Math.max(maxBuffered, status.streams.maxBufferedBytes);
      return status.streams.maxBufferedBytes;
    };
    // Generous bounds: 20,000 commits take a while on a loaded machine (no timing is asserted).
    await waitUntil(
      async () => {
        await buffered();
        return (await engine.client.getChat("big")).chat.counters.completed === 10;
      },
      "all turns complete",
      120_000,
    );
    const { position: end } = await engine.client.status();
    // 20,000 delta events (several MB of frames) were committed while the client read nothing:
    // more than the sockets take, so the engine holds the rest of a page for it.
    expect(end - start).toBeGreaterThan(20_000);
    await waitUntil(async () => (await buffered()) > 0, "the paused stream is held back");
    expect(maxBuffered).toBeLessThanOrEqual(2 * defaultPageCacheLimits.pageBytes);
    slow.resume();
    await waitUntil(() => slow.messages.at(-1)?.id === end, "the slow client catches up", 120_000);
    slow.close();
    const ids = slow.messages.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  }, 300_000);
});
