import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { chatHistoryProjection } from "../../projections/chat-history.js";
import { openTestLog } from "../../test/support/open-test-log.js";
import { useTempDir } from "../../test/support/temp-dir.js";
import { appendToStream } from "../log/append-to-stream.js";
import { readStream } from "../log/read-stream.js";
import { ChatRecorder } from "./chat-recorder.js";

const tempDir = useTempDir();

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
  return { log, warnings, recorder: new ChatRecorder(log, "c1", logger) };
}

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
