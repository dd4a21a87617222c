import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/engine-harness.js";
import { waitUntil } from "../support/wait-until.js";

let engine: Harness;
beforeAll(async () => {
  engine = await startHarness();
});
afterAll(() => engine.stop());

describe("POST /chats/:chatId/approvals/:approvalId", () => {
  it("answers a request whose id, built from a long message id, is longer than a chosen id may be", async () => {
    await engine.client.createChat({ chatId: "c1", provider: "claude" });
    const messageId = "m".repeat(128);
    await engine.client.sendMessage("c1", { text: "ask make build", messageId });
    const pending = await waitUntil(
      async () => (await engine.client.getChat("c1")).chat.pendingApprovals[0],
      "the request is pending",
    );
    expect(pending.approvalId.length).toBeGreaterThan(128);

    await engine.client.answerApproval("c1", pending.approvalId, { decision: "allow" });

    await waitUntil(
      async () => (await engine.client.getChat("c1")).chat.counters.completed === 1,
      "the turn goes on with the answer and completes",
    );
    const { items } = await engine.client.history("c1");
    expect(items.at(-1)?.item).toEqual({ type: "assistant_text", text: "ran make build" });
  });
});
