import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openTestLog } from "../../test/support/open-test-log.js";
import { useTempDir } from "../../test/support/temp-dir.js";
import { waitUntil } from "../../test/support/wait-until.js";
import { appendToStream } from "../log/append-to-stream.js";
import { createLogger } from "../logger.js";
import { ExportFiles } from "./export-files.js";

const tempDir = useTempDir();

describe("export files", () => {
  it("are rewritten only when the log moved, owner-only, leaving no temp file", async () => {
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
    const chats = JSON.parse(readFileSync(paths.chatsExport, "utf8"));
    expect(chats).toMatchObject({ position: 2, epoch: log.epoch });
    expect(chats.chats.map((c: { chatId: string }) => c.chatId).sort()).toEqual(["a", "b"]);
    expect(JSON.parse(readFileSync(paths.stateExport, "utf8")).position).toBe(2);
    for (const file of [paths.chatsExport, paths.stateExport]) {
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    expect(readdirSync(join(dir, "engine"))).toEqual(["chats.json"]);
    await exports.stop();
    log.close();
  });
});
