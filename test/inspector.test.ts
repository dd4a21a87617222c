import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { connectInspector, type Inspector } from "../src/engine/inspector.js";
import { type Harness, startHarness } from "./support/engine-harness.js";
import { waitUntil } from "./support/wait-until.js";

/** A stand-in for the Stately relay, on loopback: it keeps what the engine sends. */
let relay: WebSocketServer;
const received: { type: string; sessionId?: string; event?: { type: string } }[] = [];
let inspector: Inspector;
let engine: Harness;

beforeAll(async () => {
  relay = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((resolve) => relay.once("listening", resolve));
  relay.on("connection", (socket) =>
    socket.on("message", (data) => received.push(JSON.parse(String(data)))),
  );
  inspector = connectInspector(`ws://127.0.0.1:${(relay.address() as AddressInfo).port}`);
  engine = await startHarness({ engine: { inspect: inspector.inspect } });
});
afterAll(async () => {
  await engine.stop();
  inspector.stop();
  await new Promise((resolve) => relay.close(resolve));
});

describe("the Stately inspector hook", () => {
  it("streams every chat actor, its events and its snapshots to the relay", async () => {
    await engine.client.createChat({ chatId: "insp", provider: "claude" });
    await engine.client.sendMessage("insp", { text: "reply watched" });
    await waitUntil(
      () => received.some((m) => m.type === "@xstate.event" && m.event?.type === "PROVIDER"),
      "the provider's outputs reach the relay",
    );
    const kinds = new Set(received.map((m) => m.type));
    expect(kinds).toContain("@xstate.actor");
    expect(kinds).toContain("@xstate.snapshot");
    expect(received.some((m) => m.type === "@xstate.event" && m.event?.type === "MESSAGE")).toBe(
      true,
    );
  });
});
