import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { NewEvent } from "../src/events/catalogue.js";
import { appendToStream } from "../src/log/append-to-stream.js";
import { runCli } from "./support/cli.js";
import { openTestLog } from "./support/open-test-log.js";
import { useTempDir } from "./support/temp-dir.js";

const tempDir = useTempDir();

function seed(dir: string): string {
  const log = openTestLog(dir);
  const chat = (chatId: string): NewEvent[] => [
    {
      type: "chat.created",
      data: { chatId, provider: "claude", title: chatId, cwd: "/w", settings: {} },
    },
    {
      type: "chat.message.queued",
      data: { chatId, messageId: `${chatId}-m`, text: "go", settings: {} },
    },
    {
      type: "chat.turn.started",
      data: {
        chatId,
        turnId: `${chatId}-t`,
        messageId: `${chatId}-m`,
        text: "go",
        settings: {},
        resumeSessionId: null,
      },
    },
    {
      type: "chat.item.delta",
      data: { chatId, turnId: `${chatId}-t`, itemId: "i", kind: "assistant_text", text: "he" },
    },
    {
      type: "chat.item.added",
      data: {
        chatId,
        turnId: `${chatId}-t`,
        itemId: "i",
        item: { type: "assistant_text", text: "hello" },
      },
    },
  ];
  for (const id of ["a", "b", "c"]) appendToStream(log, `chat:${id}`, chat(id));
  appendToStream(log, "chat:b", [{ type: "chat.deleted", data: { chatId: "b" } }]);
  appendToStream(log, "engine", [
    { type: "engine.started", data: { version: "1", pid: 1, host: "h", port: 1 } },
  ]);
  log.close();
  return join(dir, "engine.db");
}

describe("replicas-engine replay", () => {
  it("rebuilds every read model, and two replays are byte-identical", async () => {
    const dir = tempDir();
    const db = seed(dir);
    const first = await runCli(["replay", "--db", db, "--out", join(dir, "r1")]);
    const second = await runCli(["replay", "--db", db, "--out", join(dir, "r2")]);
    expect([first.exitCode, second.exitCode]).toEqual([0, 0]);
    expect(first.stdout).toMatch(
      /^replayed 17 events up to position 17 of log epoch [0-9a-f]{32} in \d+ ms \(\d+ events\/s\); read models in /,
    );
    for (const name of ["chats", "chat-history", "engine-status"]) {
      const a = readFileSync(join(dir, "r1", `${name}.jsonl`));
      expect(a.equals(readFileSync(join(dir, "r2", `${name}.jsonl`)))).toBe(true);
    }
    const chats = readFileSync(join(dir, "r1", "chats.jsonl"), "utf8")
      .trim()
      .split("\n");
    expect(chats).toHaveLength(4);
    expect(JSON.parse(chats[2]!).data.status).toBe("deleted");
  });

  it("--until gives the read models as of that position", async () => {
    const dir = tempDir();
    const db = seed(dir);
    const result = await runCli(["replay", "--db", db, "--until", "5", "--out", join(dir, "r")]);
    expect(result.stdout).toMatch(/^replayed 5 events up to position 5 of log epoch/);
    const history = readFileSync(join(dir, "r", "chat-history.jsonl"), "utf8")
      .trim()
      .split("\n");
    // A final item's document names the event that carries it (positions 3 and 5).
    expect(history.slice(1).map((l) => JSON.parse(l).data)).toMatchObject([
      { itemId: "a-m", status: "final", itemAt: 3 },
      { itemId: "i", status: "final", itemAt: 5 },
    ]);
  });

  it("--check agrees with untouched read models and names the first difference otherwise", async () => {
    const dir = tempDir();
    const db = seed(dir);
    const ok = await runCli(["replay", "--db", db, "--check"]);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toContain("stored read models match the replay");

    const log = openTestLog(dir);
    log.db
      .prepare(
        "UPDATE read_models SET data = json_set(data, '$.title', 'tampered') WHERE projection = 'chats' AND doc_id = 'c'",
      )
      .run();
    log.close();
    const bad = await runCli(["replay", "--db", db, "--check"]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain("read models differ: projection chats, document c: stored");
    expect(bad.stderr).toContain('"title":"tampered"');
  });

  it("--check agrees while an item streams, and after its chat is deleted mid-stream", async () => {
    const dir = tempDir();
    const db = seed(dir);
    const log = openTestLog(dir);
    const delta = (chatId: string, text: string): NewEvent => ({
      type: "chat.item.delta",
      data: { chatId, turnId: `${chatId}-t`, itemId: "long", kind: "assistant_text", text },
    });
    appendToStream(log, "chat:a", [delta("a", "one "), delta("a", "two")]);
    appendToStream(log, "chat:c", [delta("c", "cut short")]);
    appendToStream(log, "chat:c", [{ type: "chat.deleted", data: { chatId: "c" } }]);
    const streaming = log.db
      .prepare(
        "SELECT doc_id FROM read_models WHERE projection = 'chat-history' AND data ->> '$.status' = 'streaming'",
      )
      .all();
    expect(streaming).toEqual([{ doc_id: "a/long" }]);
    log.close();
    const check = await runCli(["replay", "--db", db, "--check"]);
    expect(check.stdout).toContain("stored read models match the replay");
    expect(check.exitCode).toBe(0);
  });

  it("refuses bad arguments with a clear message", async () => {
    const dir = tempDir();
    const db = seed(dir);
    const noDb = await runCli(["replay"]);
    expect(noDb.exitCode).toBe(2);
    expect(noDb.stderr).toContain("missing --db");
    const badUntil = await runCli(["replay", "--db", db, "--until", "abc"]);
    expect(badUntil.stderr).toContain('--until must be a position (a whole number), got "abc"');
    const both = await runCli(["replay", "--db", db, "--until", "3", "--check"]);
    expect(both.exitCode).toBe(2);
  });
});

describe("replicas-engine log", () => {
  it("prints events as JSON lines, filtered by position, stream and type", async () => {
    const dir = tempDir();
    const db = seed(dir);
    const all = await runCli(["log", "--db", db]);
    const lines = all.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(17);
    expect(all.stderr).toMatch(/^read up to position 17 of log epoch [0-9a-f]{32}$/);
    expect(lines[0]).toMatchObject({
      position: 1,
      type: "chat.created",
      stream: "chat:a",
      streamVersion: 1,
      schemaVersion: 1,
    });
    const after = await runCli(["log", "--db", db, "--after", "15"]);
    expect(
      after.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).position),
    ).toEqual([16, 17]);
    const stream = await runCli([
      "log",
      "--db",
      db,
      "--stream",
      "chat:b",
      "--type",
      "chat.deleted",
    ]);
    expect(
      stream.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).type),
    ).toEqual(["chat.deleted"]);
  });
});

describe("replicas-engine log --follow", () => {
  it("prints events appended after it started", async () => {
    const dir = tempDir();
    const db = seed(dir);
    const { execa } = await import("execa");
    const { cliPath } = await import("./support/cli.js");
    const follower = execa(
      process.execPath,
      [cliPath, "log", "--db", db, "--after", "17", "--follow"],
      { reject: false, buffer: { stdout: false, stderr: true } },
    );
    const lines: string[] = [];
    follower.stdout?.on("data", (chunk: Buffer) =>
      lines.push(...chunk.toString().trim().split("\n")),
    );
    const log = openTestLog(dir);
    appendToStream(log, "engine", [{ type: "engine.stopped", data: { reason: "shutdown" } }]);
    log.close();
    while (lines.length === 0) await new Promise((r) => setTimeout(r, 20));
    follower.kill("SIGINT");
    const result = await follower;
    expect(JSON.parse(lines[0]!)).toMatchObject({ position: 18, type: "engine.stopped" });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/read up to position 18 of log epoch/);
  });
});
