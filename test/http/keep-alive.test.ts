import { Agent, type IncomingMessage, request } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEEP_ALIVE_TIMEOUT_MS } from "../../src/engine/start-engine.js";
import { type Harness, startHarness } from "../support/engine-harness.js";

let engine: Harness;
beforeAll(async () => {
  engine = await startHarness();
});
afterAll(() => engine.stop());

/** GET /health on the agent's pooled socket: the answer and whether the socket was reused. */
function health(agent: Agent): Promise<{ response: IncomingMessage; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(`${engine.url}/health`, { agent }, (response) => {
      response.resume();
      response.once("end", () => resolve({ response, reused: req.reusedSocket }));
    });
    req.once("error", reject);
    req.end();
  });
}

describe("kept-alive connections", () => {
  it("stay open well past Node's 5 s default, and the engine says how long", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await health(agent);
      expect(first.response.headers["keep-alive"]).toBe(`timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}`);
      // Idle longer than Node's default keepAliveTimeout: a server that closed at 5 s would
      // make the agent (which follows the hint, minus a second) open a new socket here.
      await sleep(6_000);
      const second = await health(agent);
      expect(second.response.statusCode).toBe(200);
      expect(second.reused).toBe(true);
    } finally {
      agent.destroy();
    }
  });
});
