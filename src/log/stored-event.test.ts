import { describe, expect, it } from "vitest";
import { catalogue, createCatalogue, eventDefinitions } from "../events/catalogue.js";
import { decodeEvent, encodeEventJson, type StoredEventRow } from "./stored-event.js";

const row: StoredEventRow = {
  position: 7,
  event_id: "0190-id",
  stream: "chat:c1",
  stream_version: 3,
  type: "chat.created",
  schema_version: 1,
  data: JSON.stringify({ chatId: "c1", provider: "claude", title: "é \u2028", cwd: "/w" }),
  recorded_at: "2026-01-01T00:00:00.000Z",
};

describe("the envelope encoder (SSE data, webhook body, log --json)", () => {
  it("gives the decoded event's JSON byte for byte, with exactly the documented fields", () => {
    const json = encodeEventJson(catalogue, row);
    expect(json).toBe(JSON.stringify(decodeEvent(catalogue, row)));
    expect(Object.keys(JSON.parse(json))).toEqual([
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

  it("passes data of an older schema version through its upcaster", () => {
    const upcasting = createCatalogue(eventDefinitions, {
      "chat.created": { 1: (data) => ({ ...(data as object), settings: {} }) },
    });
    const event = JSON.parse(encodeEventJson(upcasting, row));
    expect(event.schemaVersion).toBe(2);
    expect(event.data.settings).toEqual({});
  });
});
