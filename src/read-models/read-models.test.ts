import { describe, expect, it } from "vitest";
import { chatsProjection } from "../../projections/chats.js";
import type { Projection } from "../../projections/projection.js";
import { openTestLog } from "../../test/support/open-test-log.js";
import { useTempDir } from "../../test/support/temp-dir.js";
import type { NewEvent } from "../events/catalogue.js";
import { appendToStream } from "../log/append-to-stream.js";
import { catchUpReadModels } from "./catch-up.js";

const tempDir = useTempDir();
const created = (chatId: string): NewEvent => ({
  type: "chat.created",
  data: { chatId, provider: "claude", title: null, cwd: "/w", settings: {} },
});

/** Counts chats: its version and its evolve change together in the test below. */
const counter = (version: number, step: number): Projection<{ n: number }, "chat.created"> => ({
  name: "chat-counter",
  version,
  cached: true,
  handles: ["chat.created"],
  documentsOf: () => [{ id: "all", group: "" }],
  evolve: (doc) => ({ n: (doc?.n ?? 0) + step }),
});

describe("read models", () => {
  it("a projection whose version changed is rebuilt from the log at boot", () => {
    const dir = tempDir();
    const v1 = openTestLog(dir, { projections: [counter(1, 1)] });
    for (const id of ["a", "b", "c"]) appendToStream(v1, `chat:${id}`, [created(id)]);
    expect(v1.readModels.get(counter(1, 1), "all")).toEqual({ n: 3 });
    v1.close();

    const same = openTestLog(dir, { projections: [counter(1, 10)] });
    expect(same.readModels.get(counter(1, 10), "all")).toEqual({ n: 3 });
    same.close();

    const v2 = openTestLog(dir, { projections: [counter(2, 10)] });
    expect(v2.readModels.get(counter(2, 10), "all")).toEqual({ n: 30 });
    expect(v2.readModels.checkpoints.get("chat-counter")).toEqual({
      name: "chat-counter",
      version: 2,
      position: 3,
    });
    v2.close();
  });

  it("a projection is handed only the event types it handles, inline and when rebuilt", () => {
    const seen: string[] = [];
    const spy = (version: number): Projection<{ n: number }, "chat.created"> => ({
      name: "spy",
      version,
      cached: false,
      handles: ["chat.created"],
      documentsOf: () => [{ id: "all", group: "" }],
      evolve: (doc, event) => {
        seen.push(event.type);
        return { n: (doc?.n ?? 0) + 1 };
      },
    });
    const dir = tempDir();
    const log = openTestLog(dir, { projections: [spy(1)] });
    appendToStream(log, "chat:a", [created("a"), { type: "chat.deleted", data: { chatId: "a" } }]);
    appendToStream(log, "engine", [{ type: "engine.stopped", data: { reason: "shutdown" } }]);
    expect(seen).toEqual(["chat.created"]);
    log.close();

    seen.length = 0;
    const rebuilt = openTestLog(dir, { projections: [spy(2)] });
    expect(seen).toEqual(["chat.created"]);
    // Its last event is at 1, yet it has seen the whole log: it stands at the head.
    expect(rebuilt.readModels.checkpoints.get("spy")?.position).toBe(3);
    expect(rebuilt.readModels.get(spy(2), "all")).toEqual({ n: 1 });
    rebuilt.close();
  });

  it("a new projection catches up from the start of the log", () => {
    const dir = tempDir();
    const before = openTestLog(dir, { projections: [] });
    for (const id of ["a", "b"]) appendToStream(before, `chat:${id}`, [created(id)]);
    before.close();
    const after = openTestLog(dir, { projections: [counter(1, 1)] });
    expect(after.readModels.get(counter(1, 1), "all")).toEqual({ n: 2 });
    after.close();
  });

  it("given documents of a projection the engine no longer has, boot deletes them and its checkpoint", () => {
    const dir = tempDir();
    const before = openTestLog(dir, { projections: [counter(1, 1), chatsProjection] });
    appendToStream(before, "chat:a", [created("a")]);
    before.close();
    const after = openTestLog(dir, { projections: [chatsProjection] });
    const rows = after.db
      .prepare("SELECT count(*) AS n FROM read_models WHERE projection = 'chat-counter'")
      .get();
    expect(rows).toEqual({ n: 0 });
    expect(after.readModels.checkpoints.all().map((c) => c.name)).toEqual(["chats"]);
    expect(after.readModels.get(chatsProjection, "a")).toBeDefined();
    after.close();
  });

  it("at boot with checkpoints at the end of the log, nothing is re-read", () => {
    const dir = tempDir();
    const log = openTestLog(dir);
    appendToStream(log, "chat:a", [created("a")]);
    expect(catchUpReadModels(log)).toEqual({ rebuilt: [], applied: 0 });
    log.close();
  });

  it("removing a group removes its subgroups and no group that only shares its prefix", () => {
    const log = openTestLog(tempDir());
    const { documents } = log.readModels;
    for (const [id, group] of [
      ["1", "a"],
      ["2", "a/i"],
      ["3", "a/i/j"],
      ["4", "a-b"],
      ["5", "ab"],
      ["6", "a0"],
    ] as const) {
      documents.put("p", { id, group, data: {}, firstPosition: 1, lastPosition: 1 });
    }
    documents.put("q", { id: "1", group: "a", data: {}, firstPosition: 1, lastPosition: 1 });
    documents.removeGroup("p", "a");
    expect(documents.all("p").map((d) => d.group)).toEqual(["a-b", "ab", "a0"]);
    expect(documents.all("q")).toHaveLength(1);
    log.close();
  });
});
