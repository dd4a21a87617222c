import { describe, expect, it } from "vitest";
import { buildWebhookBatch } from "./webhook-batch.js";
import type { EngineEventLike } from "./webhook-source.js";

function event(position: number, size = 10): EngineEventLike & { internal: string } {
  return {
    position,
    eventId: `id-${position}`,
    stream: "chat:1",
    streamVersion: position,
    type: "chat.item.added",
    schemaVersion: 1,
    data: { text: "a".repeat(size) },
    recordedAt: "2026-01-01T00:00:00.000Z",
    internal: "not part of the wire format",
  };
}

describe("buildWebhookBatch", () => {
  it("returns null when there is nothing to send", () => {
    expect(buildWebhookBatch("ws", [], { maxEvents: 10, maxBytes: 1_000 })).toBeNull();
  });

  it("writes the documented body with exactly the event fields", () => {
    const batch = buildWebhookBatch("ws-1", [event(3), event(5)], {
      maxEvents: 10,
      maxBytes: 10_000,
    });
    expect(batch).toMatchObject({ count: 2, fromPosition: 3, toPosition: 5 });
    const body = JSON.parse(batch?.body ?? "");
    expect(body.workspaceId).toBe("ws-1");
    expect(body.events.map((e: { eventId: string }) => e.eventId)).toEqual(["id-3", "id-5"]);
    expect(Object.keys(body.events[0])).toEqual([
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

  it("stops at the count limit and before the event that would cross the byte limit", () => {
    const events = [1, 2, 3, 4, 5].map((p) => event(p, 300));
    expect(buildWebhookBatch("ws", events, { maxEvents: 3, maxBytes: 100_000 })?.count).toBe(3);
    const bounded = buildWebhookBatch("ws", events, { maxEvents: 10, maxBytes: 1_000 });
    expect(bounded).toMatchObject({ count: 2, toPosition: 2 });
    expect(Buffer.byteLength(bounded?.body ?? "")).toBeLessThanOrEqual(1_000);
    // The limit is exact: a body of exactly maxBytes fits.
    const exact = Buffer.byteLength(bounded?.body ?? "");
    expect(buildWebhookBatch("ws", events, { maxEvents: 10, maxBytes: exact })?.count).toBe(2);
    expect(buildWebhookBatch("ws", events, { maxEvents: 10, maxBytes: exact - 1 })?.count).toBe(1);
  });

  it("counts bytes, not characters", () => {
    const wide = { ...event(1), data: { text: "é".repeat(400) } };
    const batch = buildWebhookBatch("ws", [wide, wide], { maxEvents: 10, maxBytes: 1_500 });
    expect(batch?.count).toBe(1);
  });

  it("sends an event larger than the byte limit alone", () => {
    const batch = buildWebhookBatch("ws", [event(1, 5_000), event(2)], {
      maxEvents: 10,
      maxBytes: 1_000,
    });
    expect(batch).toMatchObject({ count: 1, fromPosition: 1, toPosition: 1 });
  });
});
