import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chatsProjection } from "../../projections/chats.js";
import { openTestLog } from "../../test/support/open-test-log.js";
import { useTempDir } from "../../test/support/temp-dir.js";
import { waitUntil } from "../../test/support/wait-until.js";
import { appendToStream } from "../log/append-to-stream.js";
import { createLogger } from "../logger.js";
import { ExportFiles } from "./export-files.js";

const tempDir = useTempDir();

/** A log in a fresh folder, its export files written 50 ms after a burst, and a chat maker. */
function setup() {
  const dir = tempDir();
  const log = openTestLog(dir);
  const paths = {
    chatsExport: join(dir, "engine", "chats.json"),
    stateExport: join(dir, "engine-state.json"),
  };
  const exports = new ExportFiles(log, paths, createLogger("silent"), 50);
  const create = (chatId: string) =>
    appendToStream(log, `chat:${chatId}`, [
      {
        type: "chat.created",
        data: { chatId, provider: "claude", title: null, cwd: "/w", settings: {} },
      },
    ]);
  const read = (path: string) => JSON.parse(readFileSync(path, "utf8"));
  return { dir, log, paths, exports, create, read };
}

describe("export files", () => {
  it("follow the read models, coalescing a burst into one write", async () => {
    const { log, paths, exports, create, read } = setup();
    for (let i = 0; i < 50; i++) create(`c${i}`);
    appendToStream(log, "chat:c0", [{ type: "chat.deleted", data: { chatId: "c0" } }]);
    // The burst committed synchronously before the delay ran out: one write covers all 51 commits.
    await waitUntil(() => exports.writes === 1, "the coalesced write lands");
    expect(read(paths.chatsExport).position).toBe(51);
    await exports.stop();
    const chats = read(paths.chatsExport);
    expect(chats.position).toBe(51);
    expect(chats.epoch).toBe(log.epoch);
    expect(chats.chats).toHaveLength(49);
    expect(log.readModels.list(chatsProjection)).toHaveLength(50);
    expect(read(paths.stateExport)).toMatchObject({ position: 51, engine: null });
    log.close();
  });

  it("are rewritten only when the log moved, owner-only, leaving no temp file", async () => {
    const { dir, log, paths, exports, create, read } = setup();
    // Given the files written for the log's first commit
    create("a");
    await waitUntil(() => exports.writes === 1, "the first write lands");
    // When a flush finds the log where that write left it, it writes nothing
    await exports.flush();
    expect(exports.writes).toBe(1);
    // Then a later commit is written again
    create("b");
    await exports.flush();
    expect(exports.writes).toBe(2);
    const chats = read(paths.chatsExport);
    expect(chats).toMatchObject({ position: 2, epoch: log.epoch });
    expect(chats.chats.map((c: { chatId: string }) => c.chatId).sort()).toEqual(["a", "b"]);
    expect(read(paths.stateExport).position).toBe(2);
    for (const file of [paths.chatsExport, paths.stateExport]) {
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    expect(readdirSync(join(dir, "engine"))).toEqual(["chats.json"]);
    await exports.stop();
    log.close();
  });
});
