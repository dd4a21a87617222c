import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { lastUserMessage, text, toolUse } from "../../fakes/anthropic/index.js";
import { PIXEL_PNG } from "../../support/pixel-png.js";
import { type ClaudeEngine, startClaudeEngine } from "./claude-engine.js";

describe("claude through the engine: attachments", () => {
  let e: ClaudeEngine;
  beforeAll(async () => {
    e = await startClaudeEngine();
  });
  afterAll(() => e.close());

  test("an uploaded image reaches the Messages API as an image block with its type and bytes", async () => {
    const chatId = await e.chat("image");
    const { attachment } = await e.client.uploadAttachment(PIXEL_PNG, "image/png");
    e.fake.enqueue(text("A single pixel."));
    const { messageId } = await e.client.sendMessage(chatId, {
      text: "what is in this picture?",
      attachments: [{ id: attachment.id }],
    });
    const end = await e.turnEnd(messageId);

    expect(end.type).toBe("chat.turn.completed");
    const request = e.fake.requests.findLast((r) =>
      JSON.stringify(r.body.messages).includes("what is in this picture?"),
    );
    const content = lastUserMessage(request!)?.content;
    const image = Array.isArray(content) ? content.find((b) => b.type === "image") : undefined;
    expect(image?.source).toEqual({
      type: "base64",
      media_type: "image/png",
      data: PIXEL_PNG.toString("base64"),
    });
  });

  test("an uploaded text file is copied into the chat's cwd and read by the agent with its own tools", async () => {
    const chatId = await e.chat("file");
    const { chat } = await e.client.getChat(chatId);
    const notes = "deploy on fridays only\n";
    const { attachment } = await e.client.uploadAttachment(Buffer.from(notes), "text/plain");
    const path = join(chat.cwd, ".replicas", "attachments", attachment.id, "notes.txt");
    e.fake.enqueue(toolUse("Read", { file_path: path }), text("Fridays only."));
    const { messageId } = await e.client.sendMessage(chatId, {
      text: "read my notes",
      attachments: [{ id: attachment.id, name: "notes.txt" }],
    });
    const end = await e.turnEnd(messageId);

    expect(end.type).toBe("chat.turn.completed");
    const asked = e.fake.requests.find((r) =>
      JSON.stringify(r.body.messages).includes("read my notes"),
    );
    // The message names the file where the agent can open it.
    expect(JSON.stringify(asked?.body.messages)).toContain(path);
    // The Read tool's result, sent back to the model, holds the file's text.
    const followUp = e.fake.requests.findLast((r) =>
      JSON.stringify(r.body.messages).includes("tool_result"),
    );
    expect(JSON.stringify(followUp?.body.messages)).toContain("deploy on fridays only");
  });
});
