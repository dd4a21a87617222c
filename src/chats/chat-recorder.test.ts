import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { chatHistoryProjection } from "../../projections/chat-history.js";
import { openTestLog } from "../../test/support/open-test-log.js";
import { useTempDir } from "../../test/support/temp-dir.js";
import type { NewEvent } from "../events/catalogue.js";
import { appendToStream } from "../log/append-to-stream.js";
import { readStream } from "../log/read-stream.js";
import type { EngineLog } from "../read-models/open-engine-log.js";
import { ChatRecorder } from "./chat-recorder.js";

const tempDir = useTempDir();

const WINDOW_MS = 10;

/** Resolves after the log's append group has committed what this turn of the loop queued. */
const committed = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup() {
  const log = openTestLog(tempDir());
  appendToStream(log, "chat:c1", [
    {
      type: "chat.created",
      data: { chatId: "c1", provider: "claude", title: null, cwd: "/tmp", settings: {} },
    },
  ]);
  const warnings: string[] = [];
  const logger = pino({ level: "warn" }, { write: (line: string) => warnings.push(line) });
  return { log, warnings, recorder: new ChatRecorder(log, "c1", logger, WINDOW_MS) };
}

const delta = (text: string, itemId = "i1"): NewEvent => ({
  type: "chat.item.delta",
  data: { chatId: "c1", turnId: "t1", itemId, kind: "assistant_text", text },
});

/** The chat's records after `chat.created`: deltas as `itemId:text`, others by type. */
function recorded(log: EngineLog): string[] {
  return readStream(log, "chat:c1")
    .slice(1)
    .map((e) => {
      if (e.type !== "chat.item.delta") return e.type;
      const data = e.data as { itemId: string; text: string };
      return `${data.itemId}:${data.text}`;
    });
}

describe("chat recorder: delta coalescing", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("given a quiet stream, appends a delta at the end of this turn of the event loop", async () => {
    const { log, recorder } = setup();
    recorder.record(delta("hello"));
    expect(recorded(log)).toEqual([]);
    await committed();
    expect(recorded(log)).toEqual(["i1:hello"]);
    recorder.flush();
    log.close();
  });

  it("given a burst, appends the first delta at once and the rest as one event when the window ends", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { log, recorder } = setup();
    for (let i = 0; i < 100; i++) recorder.record(delta(`${i},`));
    await committed();
    expect(recorded(log)).toEqual(["i1:0,"]);
    vi.advanceTimersByTime(WINDOW_MS);
    await committed();
    const rest = Array.from({ length: 99 }, (_, i) => `${i + 1},`).join("");
    expect(recorded(log)).toEqual(["i1:0,", `i1:${rest}`]);
    // A window with nothing in it closes: the stream is quiet again, the next delta goes at once.
    vi.advanceTimersByTime(WINDOW_MS);
    expect(vi.getTimerCount()).toBe(0);
    recorder.record(delta("again"));
    await committed();
    expect(recorded(log)).toHaveLength(3);
    recorder.flush();
    log.close();
  });

  it("given a steady stream faster than the window, appends one event per window, text in order", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { log, recorder } = setup();
    const texts = Array.from({ length: 100 }, (_, i) => `${i},`);
    for (const text of texts) {
      recorder.record(delta(text));
      vi.advanceTimersByTime(1); // ten deltas per window
    }
    vi.advanceTimersByTime(WINDOW_MS);
    await committed();
    const deltas = recorded(log);
    expect(deltas).toHaveLength(11);
    expect(deltas.map((d) => d.slice("i1:".length)).join("")).toBe(texts.join(""));
    log.close();
  });

  it("given a held delta, appends it before another item's delta and before any other record", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { log, recorder } = setup();
    recorder.record(delta("a1", "a"));
    recorder.record(delta("a2", "a"));
    recorder.record(delta("b1", "b"));
    recorder.record(delta("b2", "b"));
    recorder.record({
      type: "chat.item.added",
      data: {
        chatId: "c1",
        turnId: "t1",
        itemId: "b",
        item: { type: "assistant_text", text: "b" },
      },
    });
    expect(recorded(log)).toEqual(["a:a1", "a:a2", "b:b1b2", "chat.item.added"]);
    recorder.flush();
    log.close();
  });

  it("given a held delta of 16,384 characters, starts a new event with the next delta", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { log, recorder } = setup();
    const long = "x".repeat(16_384);
    recorder.record(delta("first"));
    recorder.record(delta(long));
    recorder.record(delta("next"));
    await committed();
    expect(recorded(log)).toEqual(["i1:first", `i1:${long}`]);
    vi.advanceTimersByTime(WINDOW_MS);
    await committed();
    expect(recorded(log)).toEqual(["i1:first", `i1:${long}`, "i1:next"]);
    recorder.flush();
    log.close();
  });

  it("flush appends the held delta and closes the window, so no timer outlives a deleted chat", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { log, recorder } = setup();
    recorder.record(delta("one"));
    recorder.record(delta("two"));
    recorder.flush();
    expect(recorded(log)).toEqual(["i1:one", "i1:two"]);
    expect(vi.getTimerCount()).toBe(0);
    log.close();
  });
});

describe("chat recorder: the log's append group", () => {
  it("given deltas of two chats in one turn, one chat's flush (shutdown, delete) commits both", () => {
    const { log, recorder } = setup();
    appendToStream(log, "chat:c2", [
      {
        type: "chat.created",
        data: { chatId: "c2", provider: "claude", title: null, cwd: "/tmp", settings: {} },
      },
    ]);
    const other = new ChatRecorder(log, "c2", pino({ level: "silent" }), WINDOW_MS);
    recorder.record(delta("mine"));
    other.record({
      ...delta("theirs"),
      data: { ...delta("theirs").data, chatId: "c2" },
    } as NewEvent);

    recorder.flush();

    expect(recorded(log)).toEqual(["i1:mine"]);
    expect(readStream(log, "chat:c2").map((e) => e.type)).toEqual([
      "chat.created",
      "chat.item.delta",
    ]);
    other.flush();
    log.close();
  });

  it("given another writer appended while a delta was queued, says so and records the delta after it", async () => {
    const { log, warnings, recorder } = setup();
    recorder.record(delta("queued"));
    appendToStream(log, "chat:c1", [delta("intruder")]);

    await committed();

    expect(recorded(log)).toEqual(["i1:intruder", "i1:queued"]);
    expect(warnings.join("")).toContain("unexpected append failure on a chat stream");
    // The recorder continues after the intruder: its next record commits without a conflict.
    const before = warnings.length;
    recorder.record({
      type: "chat.message.queued",
      data: { chatId: "c1", messageId: "m1", text: "next", settings: {} },
    });
    expect(recorded(log)).toEqual(["i1:intruder", "i1:queued", "chat.message.queued"]);
    expect(warnings).toHaveLength(before);
    recorder.flush();
    log.close();
  });
});

describe("chat recorder: a refused item", () => {
  it("given an item id over 200 characters, records one valid `.refused` notice in its place", () => {
    const { log, warnings, recorder } = setup();
    const itemId = "x".repeat(250);
    recorder.record({
      type: "chat.item.added",
      data: { chatId: "c1", turnId: "t1", itemId, item: { type: "assistant_text", text: "hi" } },
    });
    const added = readStream(log, "chat:c1").filter((e) => e.type === "chat.item.added");
    expect(added).toHaveLength(1);
    const notice = added[0]?.data as { itemId: string; item: unknown };
    expect(notice.itemId).toBe(`${"x".repeat(192)}.refused`);
    expect(notice.item).toMatchObject({ type: "notice", level: "error" });
    expect(warnings).toHaveLength(1);
    expect(log.readModels.latestInGroup(chatHistoryProjection, "c1", 10)).toHaveLength(1);
    log.close();
  });

  it("given a refused item whose id fits, the notice's id is the item's with `.refused`", () => {
    const { log, recorder } = setup();
    recorder.record({
      type: "chat.item.added",
      data: {
        chatId: "c1",
        turnId: "t1",
        itemId: "i1",
        item: { type: "tool_call", callId: "x" } as never,
      },
    });
    const added = readStream(log, "chat:c1").filter((e) => e.type === "chat.item.added");
    expect(added.map((e) => (e.data as { itemId: string }).itemId)).toEqual(["i1.refused"]);
    log.close();
  });
});
