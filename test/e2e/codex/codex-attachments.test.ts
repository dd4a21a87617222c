import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { functionCallOutputs, shell, text } from "../../fakes/openai/index.js";
import { PIXEL_PNG } from "../../support/pixel-png.js";
import { type CodexEngine, startCodexEngine } from "./codex-engine.js";

interface InputPart {
  type?: string;
  image_url?: string;
  text?: string;
}

/** Every content part of the request's user messages. */
function userParts(body: unknown): InputPart[] {
  const input = (body as { input?: { role?: string; content?: unknown }[] }).input ?? [];
  return input.flatMap((entry) =>
    entry.role === "user" && Array.isArray(entry.content) ? (entry.content as InputPart[]) : [],
  );
}

describe("codex through the engine: attachments", () => {
  let e: CodexEngine;
  beforeAll(async () => {
    e = await startCodexEngine();
  });
  afterAll(() => e.close());

  test("an uploaded image reaches the Responses API as an input_image with its bytes", async () => {
    await e.createChat("image");
    const { attachment } = await e.client.uploadAttachment(PIXEL_PNG, "image/png");
    e.fake.script(text("A single pixel."));
    const { messageId } = await e.client.sendMessage("image", {
      text: "what is in this picture?",
      attachments: [{ id: attachment.id }],
    });
    const end = await e.feed.waitFor(
      ["chat.turn.completed", "chat.turn.failed"],
      (ev) => ev.data.messageId === messageId,
      90_000,
    );

    expect(end.type).toBe("chat.turn.completed");

    const request = e.fake.requests.findLast((r) =>
      userParts(r.body).some((p) => p.text?.includes("what is in this picture?")),
    );
    const image = userParts(request?.body).find((p) => p.type === "input_image");
    expect(image?.image_url).toBe(`data:image/png;base64,${PIXEL_PNG.toString("base64")}`);
  });

  test("an uploaded text file is copied into the chat's cwd and read by the agent's shell", async () => {
    const chat = await e.createChat("file");
    const { attachment } = await e.client.uploadAttachment(
      Buffer.from("deploy on fridays only\n"),
      "text/plain",
    );
    const path = join(chat.cwd, ".replicas", "attachments", attachment.id, "notes.txt");
    e.fake.script(shell(`cat ${path}`), text("Fridays only."));
    const { messageId } = await e.client.sendMessage("file", {
      text: "read my notes",
      attachments: [{ id: attachment.id, name: "notes.txt" }],
    });
    const end = await e.feed.waitFor(
      ["chat.turn.completed", "chat.turn.failed"],
      (ev) => ev.data.messageId === messageId,
      90_000,
    );

    expect(end.type).toBe("chat.turn.completed");
    const asked = e.fake.requests.find((r) =>
      userParts(r.body).some((p) => p.text?.includes("read my notes")),
    );
    expect(userParts(asked?.body).some((p) => p.text?.includes(path))).toBe(true);
    const outputs = e.fake.requests.flatMap((r) => [...functionCallOutputs(r).values()]);
    expect(outputs.some((o) => o.includes("deploy on fridays only"))).toBe(true);
  });
});
