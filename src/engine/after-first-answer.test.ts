import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { waitUntil } from "../../test/support/wait-until.js";
import { afterFirstAnswer } from "./after-first-answer.js";

let server: Server | null = null;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(null));
  server = null;
});

/** A real server on 127.0.0.1 port 0 that records when each answer went out. */
async function listening(events: string[]): Promise<{ server: Server; url: string }> {
  const s = createServer((_req, res) => {
    events.push("answered");
    res.end("ok");
  });
  server = s;
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as { port: number };
  return { server: s, url: `http://127.0.0.1:${port}/health` };
}

describe("afterFirstAnswer", () => {
  it("runs the work once, after the first answer has gone out, and not again", async () => {
    const events: string[] = [];
    const { server, url } = await listening(events);
    // No fallback within the test: only the answer can start the work.
    afterFirstAnswer(server, () => events.push("work"), 600_000);
    expect(events).toEqual([]);
    expect(await (await fetch(url)).text()).toBe("ok");
    await waitUntil(() => events.includes("work"), "the work runs");
    await fetch(url);
    expect(events).toEqual(["answered", "work", "answered"]);
  });

  it("runs the work when no request comes", async () => {
    const events: string[] = [];
    const { server } = await listening(events);
    afterFirstAnswer(server, () => events.push("work"), 10);
    await waitUntil(() => events.includes("work"), "the work runs without a request");
    expect(events).toEqual(["work"]);
  });

  it("cancelled before the first answer, it never runs the work", async () => {
    const events: string[] = [];
    const { server, url } = await listening(events);
    afterFirstAnswer(server, () => events.push("work"), 600_000).cancel();
    await fetch(url);
    // A work registered later runs after the next answer; the cancelled one never does.
    afterFirstAnswer(server, () => events.push("second"), 600_000);
    await fetch(url);
    await waitUntil(() => events.includes("second"), "the second work runs");
    expect(events).toEqual(["answered", "answered", "second"]);
  });
});
