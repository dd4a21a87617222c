import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EngineClient } from "../src/client/engine-client.js";
import { freePort, spawnEngine } from "./support/engine-process.js";
import { useTempDir } from "./support/temp-dir.js";
import { waitUntil } from "./support/wait-until.js";

const tempDir = useTempDir("replicas-state-files-");
const mode = (path: string) => statSync(path).mode & 0o777;
const secret = "0123456789abcdef0123456789abcdef";

function plant(path: string, text = "x", fileMode = 0o644) {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, fileMode);
}

describe("the engine's files on disk", () => {
  it("are the owner's alone, boot removes what interrupted atomic writes left, and a first boot claims no rebuild", async () => {
    const home = tempDir();
    const engineDir = join(home, ".replicas", "engine");
    mkdirSync(engineDir, { recursive: true, mode: 0o755 });
    chmodSync(engineDir, 0o755);
    plant(join(engineDir, "secret"), `${secret}\n`);
    const leftovers = [
      join(engineDir, ".chats.json.deadbeef0042.tmp"),
      join(home, ".replicas", ".engine-state.json.0123456789ab.tmp"),
      join(engineDir, ".secret.0a1b2c3d4e5f.tmp"),
      join(home, ".claude", "..credentials.json.0123456789ab.tmp"),
      join(home, ".codex", ".auth.json.ba9876543210.tmp"),
      join(home, "..git-credentials.00112233aabb.tmp"),
    ];
    const unrelated = [join(engineDir, "chats.json.bak"), join(home, ".codex", "auth.json.old")];
    for (const path of [...leftovers, ...unrelated]) plant(path);

    const port = await freePort();
    const env = { LOG_LEVEL: "info", REPLICAS_ENGINE_SECRET: undefined };
    const first = await spawnEngine(home, port, { env });
    const client = new EngineClient({ baseUrl: first.url, secret });
    await client.createChat({ chatId: "c1", provider: "claude", title: "private words" });
    const chatsJson = join(engineDir, "chats.json");
    const stateJson = join(home, ".replicas", "engine-state.json");
    await waitUntil(
      () => existsSync(chatsJson) && existsSync(stateJson),
      "the export files are written",
    );

    expect(leftovers.filter((path) => existsSync(path))).toEqual([]);
    expect(unrelated.filter((path) => existsSync(path))).toEqual(unrelated);
    expect(first.output()).toContain("removed temp files left by interrupted writes");
    expect(first.output()).not.toContain("rebuilt read models");
    expect(mode(engineDir)).toBe(0o700);
    const db = join(engineDir, "engine.db");
    const files = [
      db,
      `${db}-wal`,
      `${db}-shm`,
      chatsJson,
      join(home, ".replicas", "engine-state.json"),
    ];
    expect(Object.fromEntries(files.map((f) => [f, mode(f)]))).toEqual(
      Object.fromEntries(files.map((f) => [f, 0o600])),
    );
    expect(mode(join(engineDir, "secret"))).toBe(0o600);
    first.child.kill("SIGTERM");
    expect((await first.child).exitCode).toBe(0);

    // A log an older start left readable by others is tightened at the next open.
    chmodSync(db, 0o644);
    const second = await spawnEngine(home, port, { env });
    expect(mode(db)).toBe(0o600);
    expect(mode(`${db}-wal`)).toBe(0o600);
    expect(second.output()).not.toContain("rebuilt read models");
    second.child.kill("SIGTERM");
    expect((await second.child).exitCode).toBe(0);
  });
});
