import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EngineClient } from "../../src/client/engine-client.js";
import { TEST_SECRET } from "../support/engine-harness.js";
import { freePort, spawnEngine } from "../support/engine-process.js";
import { waitUntil } from "../support/wait-until.js";

const home = mkdtempSync(join(tmpdir(), "replicas-fresh-home-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("a fresh machine", () => {
  it("the first chat, without a cwd, runs in the workspaces root the engine created at boot", async () => {
    const root = join(home, "workspaces");
    expect(existsSync(root)).toBe(false);
    const engine = await spawnEngine(home, await freePort());
    try {
      expect(existsSync(root)).toBe(true);
      const client = new EngineClient({ baseUrl: engine.url, secret: TEST_SECRET });
      const created = await client.createChat({ chatId: "first", provider: "claude" });
      expect(created.chat.cwd).toBe(root);
      await client.sendMessage("first", { text: "reply hello" });
      await waitUntil(
        async () => (await client.getChat("first")).chat.counters.completed === 1,
        "the first turn completes",
      );
    } finally {
      engine.child.kill("SIGTERM");
      await engine.child;
    }
  });
});
