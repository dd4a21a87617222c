import { describe, expect, it } from "vitest";
import { catalogue } from "../../events/catalogue.js";
import { encodeEventJson } from "../../log/stored-event.js";
import { buildWebhookBatch } from "./webhook-batch.js";
import type { EncodedEvent } from "./webhook-source.js";

/** A stored row as the log source encodes it, with data of about `size` characters. */
function event(position: number, size = 10, text = "a".repeat(size)): EncodedEvent {
  const row = {
    position,
    event_id: `id-${position}`,
    stream: "chat:1",
    stream_version: position,
    type: "chat.item.added",
    schema_version: 1,
    data: JSON.stringify({ text }),
    recorded_at: "2026-01-01T00:00:00.000Z",
  };
  return { position, json: encodeEventJson(catalogue, row) };
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
    const wide = event(1, 0, "é".repeat(400));
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
