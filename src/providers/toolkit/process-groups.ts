import { readFileSync, renameSync, writeFileSync } from "node:fs";

/** One agent process group, as recorded for the next boot. */
export interface GroupRecord {
  pgid: number;
  /** The kernel's boot id: after a reboot no recorded group can still exist. */
  bootId: string | null;
  /** The leader's start time (clock ticks since boot), to tell a reused pid from ours. */
  startTime: string | null;
  /** The engine process that started it: a group of a running engine is never reaped. */
  owner: { pid: number; startTime: string | null };
}

function bootId(): string | null {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return null;
  }
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised command, which may hold spaces). */
function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    // ESRCH: the group is gone already.
    return false;
  }
}

/**
 * Every agent runs in a process group of its own (`detached`), so the engine can stop it with
 * everything it started (a shell tool's grandchildren holding its stdout), and a signal sent to
 * the engine's group (Ctrl-C, systemd, docker stop) does not reach the agents before the engine
 * has recorded their turns. The groups still running are:
 * - killed when the engine process exits, however it exits (an `exit` hook);
 * - recorded in a file beside the database, so that the next boot kills the groups a SIGKILLed
 *   engine left behind (`reapRecordedGroups`).
 */
export class ProcessGroups {
  readonly #live = new Map<number, GroupRecord>();
  readonly #onExit = () => this.killAll();
  readonly #owner = { pid: process.pid, startTime: startTimeOf(process.pid) };

  /** `file`: where the live groups are recorded; null keeps them in memory only. */
  constructor(private readonly file: string | null) {
    process.on("exit", this.#onExit);
  }

  add(pgid: number): void {
    this.#live.set(pgid, {
      pgid,
      bootId: bootId(),
      startTime: startTimeOf(pgid),
      owner: this.#owner,
    });
    this.#write();
  }

  remove(pgid: number): void {
    if (this.#live.delete(pgid)) this.#write();
  }

  signal(pgid: number, signal: NodeJS.Signals): boolean {
    return killGroup(pgid, signal);
  }

  /**
   * Kills every live group; the record then lists none. Run by the `exit` hook, where a throw
   * would be an uncaught exception at exit: with nothing live there is nothing to write, and a
   * record that cannot be emptied (its folder removed) only lists groups that are dead now, which
   * the next boot's reap finds gone.
   */
  killAll(): void {
    if (this.#live.size === 0) return;
    for (const pgid of this.#live.keys()) killGroup(pgid, "SIGKILL");
    this.#live.clear();
    try {
      this.#write();
    } catch {
      // As above: the groups are dead; a stale record is harmless.
    }
  }

  /** Written whole and renamed into place: a crash mid-write leaves the previous list. */
  #write(): void {
    if (!this.file) return;
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify([...this.#live.values()]), { mode: 0o600 });
    renameSync(temp, this.file);
  }
}

/**
 * At boot: SIGKILLs the groups a previous run recorded and did not stop (it was SIGKILLed).
 * A group is that run's when the machine has not rebooted since, the engine that recorded it is
 * not running any more (a second engine started on the same state by mistake must not kill the
 * first one's agents), and its pid is not held by another process (its leader is the recorded
 * one by start time, or gone while members of the group remain).
 * Returns the groups it signalled.
 */
export function reapRecordedGroups(file: string): number[] {
  let records: GroupRecord[];
  try {
    records = JSON.parse(readFileSync(file, "utf8")) as GroupRecord[];
  } catch {
    return [];
  }
  const now = bootId();
  const reaped: number[] = [];
  for (const record of Array.isArray(records) ? records : []) {
    if (!Number.isInteger(record.pgid) || record.pgid <= 1) continue;
    if (record.bootId !== now) continue;
    const owner = record.owner;
    if (owner && owner.startTime !== null && startTimeOf(owner.pid) === owner.startTime) continue;
    const leaderStart = startTimeOf(record.pgid);
    if (leaderStart !== null && leaderStart !== record.startTime) continue;
    if (killGroup(record.pgid, "SIGKILL")) reaped.push(record.pgid);
  }
  writeFileSync(file, "[]", { mode: 0o600 });
  return reaped;
}

let inMemory: ProcessGroups | null = null;

/** The groups of adapters given no record file (tests, embedded use): one per engine process. */
export function inMemoryGroups(): ProcessGroups {
  inMemory ??= new ProcessGroups(null);
  return inMemory;
}
