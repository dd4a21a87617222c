import { describe, expect, it } from "vitest";
import { chatMessagesProjection } from "../../projections/chat-messages.js";
import { chatsProjection } from "../../projections/chats.js";
import { openTestLog } from "../../test/support/open-test-log.js";
import { useTempDir } from "../../test/support/temp-dir.js";
import { catalogue, type NewEvent } from "../events/catalogue.js";
import { appendToStream } from "../log/append-to-stream.js";
import { replayLog } from "./replay-log.js";

const tempDir = useTempDir();
const projections = [chatsProjection, chatMessagesProjection];

describe("replayLog", () => {
  it("folds a log longer than one page, and stops at --until", () => {
    const log = openTestLog(tempDir(), { projections });
    appendToStream(log, "chat:c1", [
      {
        type: "chat.created",
        data: { chatId: "c1", provider: "claude", title: null, cwd: "/w", settings: {} },
      },
    ]);
    // 10,000 is one page of the replay: this log ends one event into its second page.
    for (let batch = 0; batch < 10; batch++) {
      const events = Array.from(
        { length: 1_000 },
        (_, i): NewEvent => ({
          type: "chat.message.queued",
          data: { chatId: "c1", messageId: `m${batch * 1_000 + i}`, text: "hi", settings: {} },
        }),
      );
      appendToStream(log, "chat:c1", events);
    }

    const all = replayLog(log.db, catalogue, projections);
    expect(all).toMatchObject({ events: 10_001, position: 10_001 });
    expect(all.documents.get("chat-messages")?.size).toBe(10_000);
    expect(all.documents.get("chats")?.get("c1")?.data).toEqual(
      log.readModels.get(chatsProjection, "c1"),
    );
    expect(all.documents.get("chats")?.get("c1")?.lastPosition).toBe(10_001);

    const early = replayLog(log.db, catalogue, projections, 3);
    expect(early).toMatchObject({ events: 3, position: 3 });
    expect([...(early.documents.get("chat-messages")?.keys() ?? [])]).toEqual(["c1/m0", "c1/m1"]);
    log.close();
  });
});
