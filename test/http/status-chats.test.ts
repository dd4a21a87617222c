import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/engine-harness.js";
import { waitUntil } from "../support/wait-until.js";

let engine: Harness;
beforeAll(async () => {
  engine = await startHarness();
});
afterAll(() => engine.stop());

const chatCounts = async () => (await engine.client.status()).chats;

describe("GET /status: the chats", () => {
  it("counts every chat not deleted in the total, one waiting on an approval included", async () => {
    for (const chatId of ["idle", "asking", "gone"])
      await engine.client.createChat({ chatId, provider: "claude" });
    await engine.client.sendMessage("asking", { text: "ask rm -rf build" });
    await waitUntil(
      async () => (await engine.client.getChat("asking")).chat.status === "awaiting_approval",
      "the chat waits on its approval",
    );
    await engine.client.deleteChat("gone");

    expect(await chatCounts()).toEqual({
      total: 2,
      byStatus: { idle: 1, running: 0, awaiting_approval: 1, interrupting: 0, deleted: 1 },
    });
  });
});
