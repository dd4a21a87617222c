import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { openTestLog } from "../../test/support/open-test-log.js";
import { useTempDir } from "../../test/support/temp-dir.js";
import { readStream } from "../log/read-stream.js";
import { catalogue, createCatalogue, eventDefinitions } from "./catalogue.js";
import { defineEvent } from "./define-event.js";

const tempDir = useTempDir();

describe("event catalogue", () => {
  it("validates every type and names the offending field", () => {
    const result = catalogue.validate("chat.item.added", {
      chatId: "c",
      turnId: "t",
      itemId: "i",
      item: { type: "command", command: "ls", output: "", exitCode: "zero", status: "completed" },
    });
    expect(result).toMatchObject({ ok: false, path: "item.exitCode" });
    expect(!result.ok && result.message).toMatch(/^chat\.item\.added: field "item\.exitCode": /);
  });

  it("has no type defined twice", () => {
    const types = eventDefinitions.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
  });

  it("passes stored events of an older schema version through the upcasters on read", () => {
    // A catalogue where chat.deleted moved to v2 (adding `reason`), with its upcaster from v1.
    const v1 = defineEvent("chat.deleted", v.object({ chatId: v.string() }));
    const v2 = defineEvent("chat.deleted", v.object({ chatId: v.string(), reason: v.string() }), 2);
    const old = openTestLog(tempDir(), { catalogue: createCatalogue([v1], {}), projections: [] });
    old.db
      .prepare(
        "INSERT INTO events (event_id, stream, stream_version, type, schema_version, data, recorded_at) VALUES ('e', 'chat:c', 1, 'chat.deleted', 1, '{\"chatId\":\"c\"}', 't')",
      )
      .run();
    const upgraded = {
      ...old,
      catalogue: createCatalogue([v2], {
        "chat.deleted": { 1: (d) => ({ ...(d as object), reason: "unknown" }) },
      }),
    };
    const [event] = readStream(upgraded, "chat:c");
    expect(event).toMatchObject({ schemaVersion: 2, data: { chatId: "c", reason: "unknown" } });
    expect(upgraded.catalogue.isOutdated("chat.deleted", 1)).toBe(true);
    expect(upgraded.catalogue.isOutdated("chat.deleted", 2)).toBe(false);
    old.close();
  });
});
