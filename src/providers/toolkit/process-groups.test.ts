import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type GroupRecord, ProcessGroups, reapRecordedGroups } from "./process-groups.js";

let dir: string;
const started: number[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "groups-"));
});
afterAll(async () => {
  for (const pid of started) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {}
  }
  await rm(dir, { recursive: true, force: true });
});

/** A process group of its own: a leader that ignores SIGTERM, as a wedged agent would. */
function startGroup(): Promise<number> {
  const child = spawn("sh", ["-c", "trap '' TERM INT; sleep 60"], {
    detached: true,
    stdio: "ignore",
  });
  const pid = child.pid as number;
  started.push(pid);
  // Reaped by this process once killed, so process.kill(pid, 0) then fails.
  return new Promise((resolve) => child.once("spawn", () => resolve(pid)));
}

function exited(pid: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      try {
        process.kill(pid, 0);
        setTimeout(check, 10);
      } catch {
        resolve();
      }
    };
    check();
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("ProcessGroups: the live groups on file, for the next boot", () => {
  test("given groups added and one removed, the file lists the live one with its identity", async () => {
    const file = join(dir, "live.json");
    const groups = new ProcessGroups(file);
    const [a, b] = [await startGroup(), await startGroup()];
    groups.add(a);
    groups.add(b);
    groups.remove(a);
    const records = JSON.parse(await readFile(file, "utf8")) as GroupRecord[];
    expect(records.map((r) => r.pgid)).toEqual([b]);
    expect(records[0]?.bootId).toMatch(/^[0-9a-f-]{36}$/);
    expect(records[0]?.startTime).toMatch(/^\d+$/);
    groups.killAll();
    await exited(b);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual([]);
  });

  test("killAll still kills a live group when its record's folder is gone, and does not throw", async () => {
    const gone = await mkdtemp(join(tmpdir(), "groups-gone-"));
    const groups = new ProcessGroups(join(gone, "live.json"));
    const pid = await startGroup();
    groups.add(pid);
    await rm(gone, { recursive: true, force: true });
    expect(() => groups.killAll()).not.toThrow();
    await exited(pid);
  });

  test("when the next boot reaps: the recorded group is killed, SIGTERM-proof or not; the file is emptied", async () => {
    const file = join(dir, "reap.json");
    const pid = await startGroup();
    new ProcessGroups(file).add(pid);
    // As written by an engine that is gone (SIGKILLed): its pid, another start time.
    const [record] = JSON.parse(await readFile(file, "utf8")) as GroupRecord[];
    const dead = { ...(record as GroupRecord), owner: { pid: process.pid, startTime: "1" } };
    await writeFile(file, JSON.stringify([dead]));
    expect(reapRecordedGroups(file)).toEqual([pid]);
    await exited(pid);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual([]);
  });

  test("a group of a running engine, from another boot, or whose pid another process holds, is left alone", async () => {
    const file = join(dir, "foreign.json");
    const pid = await startGroup();
    const ours = new ProcessGroups(join(dir, "ours.json"));
    ours.add(pid);
    const [record] = JSON.parse(await readFile(join(dir, "ours.json"), "utf8")) as GroupRecord[];
    const gone = { pid: process.pid, startTime: "1" };
    const foreign: GroupRecord[] = [
      record as GroupRecord,
      { ...(record as GroupRecord), owner: gone, bootId: "00000000-0000-0000-0000-000000000000" },
      { ...(record as GroupRecord), owner: gone, startTime: "1" },
    ];
    await writeFile(file, JSON.stringify(foreign));
    expect(reapRecordedGroups(file)).toEqual([]);
    expect(alive(pid)).toBe(true);
  });

  test("a missing or garbled file reaps nothing", async () => {
    expect(reapRecordedGroups(join(dir, "none.json"))).toEqual([]);
    await writeFile(join(dir, "garbled.json"), "{not json");
    expect(reapRecordedGroups(join(dir, "garbled.json"))).toEqual([]);
  });
});
