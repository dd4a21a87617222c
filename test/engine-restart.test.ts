import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EngineClient } from "../src/client/engine-client.js";
import type { EngineEvent } from "../src/events/catalogue.js";
import { TEST_SECRET } from "./support/engine-harness.js";
import { freePort, spawnEngine } from "./support/engine-process.js";
import { waitUntil } from "./support/wait-until.js";

const home = mkdtempSync(join(tmpdir(), "replicas-restart-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("engine killed with SIGKILL mid-turn", () => {
  it("closes the turn as interrupted at restart, runs the queue, and a streaming client misses nothing", async () => {
    const port = await freePort();
    const first = await spawnEngine(home, port);
    const client = new EngineClient({ baseUrl: first.url, secret: TEST_SECRET });
    await client.createChat({ chatId: "k1", provider: "claude" });
    await client.sendMessage("k1", { text: "sleep 60000", messageId: "long" });
    await client.sendMessage("k1", { text: "reply after the restart", messageId: "next" });
    await waitUntil(
      async () => (await client.getChat("k1")).chat.status === "running",
      "the long turn runs",
    );

    const received: EngineEvent[] = [];
    let reconnects = 0;
    const stop = new AbortController();
    const reading = (async () => {
      for await (const item of client.events({
        signal: stop.signal,
        onReconnect: () => reconnects++,
      })) {
        if (item.kind === "event") received.push(item.event);
      }
    })();
    await waitUntil(
      () => received.some((e) => e.type === "chat.turn.started"),
      "the stream is live",
    );

    first.child.kill("SIGKILL");
    expect((await first.child).signal).toBe("SIGKILL");

    const second = await spawnEngine(home, port);
    expect(second.url).toBe(first.url);
    await waitUntil(
      async () => (await client.getChat("k1")).chat.counters.completed === 1,
      "the queued message runs",
    );
    const { chat } = await client.getChat("k1");
    expect(chat.messages.map((m) => [m.messageId, m.state])).toEqual([
      ["long", "interrupted"],
      ["next", "completed"],
    ]);
    const { position } = await client.status();
    // At least to `position`: the work that starts after the first answer (workspace, hooks)
    // may record events past it while the stream reads.
    await waitUntil(
      () => (received.at(-1)?.position ?? 0) >= position,
      "the stream catches up across the restart",
    );
    stop.abort();
    await reading;

    expect(reconnects).toBeGreaterThanOrEqual(1);
    const positions = received.map((e) => e.position);
    expect(new Set(positions).size).toBe(positions.length);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const all: number[] = [];
    for await (const item of client.events({ after: 0 })) {
      if (item.kind === "event") all.push(item.event.position);
      if (all.at(-1) === position) break;
    }
    expect(positions.filter((p) => p <= position)).toEqual(all);
    const interrupted = received.find((e) => e.type === "chat.turn.interrupted");
    expect(interrupted?.data).toMatchObject({ messageId: "long", reason: "engine_restart" });
    expect(received.some((e) => e.type === "engine.recovered")).toBe(true);

    second.child.kill("SIGTERM");
    const exit = await second.child;
    expect(exit.exitCode).toBe(0);
    const third = await spawnEngine(home, port);
    const engineDoc = (await new EngineClient({ baseUrl: third.url, secret: TEST_SECRET }).status())
      .engine as { boots: number };
    expect(engineDoc.boots).toBe(3);
    third.child.kill("SIGTERM");
    await third.child;
  });
});
