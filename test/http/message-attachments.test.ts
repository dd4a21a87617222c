import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineApiError } from "../../src/client/engine-api-error.js";
import { runCli } from "../support/cli.js";
import { type Harness, startHarness } from "../support/engine-harness.js";
import { waitUntil } from "../support/wait-until.js";

let engine: Harness;
let cwd: string;
beforeAll(async () => {
  engine = await startHarness();
  cwd = join(engine.home, "workspaces", "repo");
  mkdirSync(cwd, { recursive: true });
  await engine.client.createChat({ chatId: "a1", provider: "claude", cwd });
});
afterAll(() => engine.stop());

const PNG = Buffer.concat([
  Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"),
  Buffer.from("px"),
]);

async function refused(send: Promise<unknown>) {
  const error = await send.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof EngineApiError)) throw new Error("the message was accepted");
  return error;
}

describe("messages with attachments", () => {
  it("an uploaded image, an uploaded text file and a named file reach the turn and the history", async () => {
    const image = (await engine.client.uploadAttachment(PNG, "image/png")).attachment;
    const notes = (await engine.client.uploadAttachment(Buffer.from("the notes\n"), "text/plain"))
      .attachment;
    const named = join(engine.home, "report.md");
    writeFileSync(named, "# report\n");
    const sent = await engine.client.sendMessage("a1", {
      text: "reply looked",
      attachments: [{ id: image.id }, { id: notes.id, name: "notes.txt" }, { path: named }],
    });
    await waitUntil(() => engine.provider.requests.length === 1, "the turn starts");

    const [request] = engine.provider.requests;
    const [img, txt, md] = request!.attachments;
    expect(img).toMatchObject({ id: image.id, mediaType: "image/png", size: PNG.length });
    expect(readFileSync(img!.path)).toEqual(PNG);
    // An upload that is not an image is copied into the chat's cwd for the agent's own tools.
    expect(txt).toMatchObject({ id: notes.id, name: "notes.txt", mediaType: "text/plain" });
    expect(txt!.path).toBe(join(cwd, ".replicas", "attachments", notes.id, "notes.txt"));
    expect(readFileSync(txt!.path, "utf8")).toBe("the notes\n");
    // A named file stays where it is, and is kept in the blob store too.
    expect(md).toMatchObject({ name: "report.md", mediaType: "text/markdown", path: named });
    const kept = await fetch(`${engine.url}/attachments/${md!.id}`, {
      headers: { "x-replicas-engine-secret": engine.client.options.secret },
    });
    expect(await kept.text()).toBe("# report\n");

    const { items } = await engine.client.history("a1");
    const user = items.find((entry) => entry.itemId === sent.messageId)?.item;
    expect(user).toEqual({
      type: "user_message",
      text: "reply looked",
      attachments: [img, txt, md],
    });
  });

  it("refuses bad references with a clear error and records nothing", async () => {
    const before = (await engine.client.status()).position;
    const dir = join(engine.home, "a-folder");
    mkdirSync(dir, { recursive: true });
    // Where the upload would be copied into the chat's cwd, a folder of that name already is.
    const upload = (await engine.client.uploadAttachment(Buffer.from("x\n"), "text/plain"))
      .attachment;
    mkdirSync(join(cwd, ".replicas", "attachments", upload.id, "taken.txt"), { recursive: true });
    const cases: [unknown, number, string, RegExp][] = [
      [[{ id: upload.id, name: "taken.txt" }], 400, "invalid_attachment", /could not be copied/],
      [[{ id: `att_${"0".repeat(32)}` }], 400, "attachment_not_found", /POST \/attachments/],
      [[{ path: join(engine.home, "missing.txt") }], 400, "invalid_attachment", /does not exist/],
      [[{ path: dir }], 400, "invalid_attachment", /is a directory/],
      [[{ path: "relative.txt" }], 400, "invalid_body", /absolute path/],
      [[{ id: "not-an-id" }], 400, "invalid_body", /attachments/],
      [[{ path: "/etc/hostname", name: "../escape" }], 400, "invalid_body", /file name/],
    ];
    for (const [attachments, status, code, message] of cases) {
      const error = await refused(
        engine.client.sendMessage("a1", {
          text: "reply no",
          attachments: attachments as never,
        }),
      );
      expect({ status: error.status, code: error.code }).toEqual({ status, code });
      expect(error.message).toMatch(message);
    }
    expect((await engine.client.status()).position).toBe(before);
  });
});

describe("the attachment sweep", () => {
  it("at start removes uploads no message named once past the grace period, and keeps the named ones", async () => {
    const home = mkdtempSync(join(tmpdir(), "replicas-sweep-"));
    const env = { REPLICAS_ATTACHMENT_GRACE_MS: "1" };
    try {
      const first = await startHarness({ home, env });
      await first.client.createChat({ chatId: "s1", provider: "claude" });
      const named = (await first.client.uploadAttachment(PNG, "image/png")).attachment;
      const orphan = (await first.client.uploadAttachment(Buffer.from("never sent"), "text/plain"))
        .attachment;
      await first.client.sendMessage("s1", { text: "reply ok", attachments: [{ id: named.id }] });
      await first.stop();

      const second = await startHarness({ home, env });
      const swept = async () =>
        ((await second.client.status()) as { attachments?: { lastSweep: unknown } }).attachments
          ?.lastSweep != null;
      await waitUntil(swept, "the boot's sweep ran");
      const get = (id: string) =>
        fetch(`${second.url}/attachments/${id}`, {
          headers: { "x-replicas-engine-secret": second.client.options.secret },
        });
      expect((await get(named.id)).status).toBe(200);
      expect((await get(orphan.id)).status).toBe(404);
      await second.stop();
      // The log holds references only: the read models it gives are the stored ones.
      const check = await runCli(["replay", "--db", second.databasePath, "--check"]);
      expect(check.exitCode).toBe(0);
      expect(check.stdout).toContain("stored read models match the replay");
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
