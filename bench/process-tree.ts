import { readdirSync, readFileSync } from "node:fs";
import type { ResultPromise } from "execa";

const MB = 1024 * 1024;

/** A field of /proc/<pid>/status or smaps_rollup, in bytes (the kernel writes kB). */
function procKb(file: string, field: string): number {
  try {
    const text = readFileSync(file, "utf8");
    return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0) * 1024;
  } catch {
    return 0; // the process ended between listing and reading
  }
}

/** VmRSS of one process, in MB. */
export function rssMb(pid: number): number {
  return procKb(`/proc/${pid}/status`, "VmRSS") / MB;
}

/** The process and all its descendants, from the parent pids in /proc/<pid>/stat. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue;
    }
    // The command name is in parentheses and may hold spaces: the parent pid follows the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const tree: number[] = [];
  const visit = (pid: number) => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return tree;
}

/**
 * Proportional set size of a process and its descendants, in MB: shared pages (the same
 * binary, libraries) count once over the tree, so daemons with different process layouts
 * compare fairly.
 */
export function treePssMb(root: number): number {
  return (
    processTree(root).reduce((sum, pid) => sum + procKb(`/proc/${pid}/smaps_rollup`, "Pss"), 0) / MB
  );
}

/** Waits until the tree under `root` is back to `size` processes (children that were stopped have exited). */
export async function untilTreeSize(root: number, size: number, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (processTree(root).length > size) {
    if (performance.now() > deadline) {
      throw new Error(`processes under ${root} did not exit: ${processTree(root).join(" ")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Stops a daemon and everything it started: SIGTERM to the daemon, then SIGKILL to any
 * descendant still there (a daemon that dies first can leave its children orphaned).
 */
export async function stopProcessTree(child: ResultPromise): Promise<void> {
  const descendants = processTree(child.pid ?? 0).slice(1);
  child.kill("SIGTERM");
  await child;
  for (const pid of descendants) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on Linux). */
const TICK_MS = 10;

/**
 * CPU time (ms) of the trees under `roots`: user and system time of each process and of its
 * reaped children, so a child that exits moves its time to its parent and the sum stays whole.
 */
export function treeCpuMs(roots: number[]): number {
  let ticks = 0;
  for (const pid of roots.flatMap((root) => processTree(root))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // utime, stime, cutime, cstime: fields 14-17 of stat(5), 12-15 after the name and state.
      for (const i of [11, 12, 13, 14]) ticks += Number(fields[i]);
    } catch {
      // ended between listing and reading
    }
  }
  return ticks * TICK_MS;
}

/**
 * CPU time (ms, from each thread's schedstat: nanoseconds, where stat counts 10 ms ticks) of
 * the processes under `root` other than the agents' `claude`: what a daemon itself spends, on
 * the cores its agent's turn needs too. A thread or child that exits between two readings
 * takes its time with it (schedstat has no reaped-children sum, unlike `treeCpuMs`).
 */
export function daemonCpuMs(root: number): number {
  let ns = 0;
  for (const pid of processTree(root)) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "claude") continue;
      for (const task of readdirSync(`/proc/${pid}/task`))
        ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // ended between listing and reading
    }
  }
  return ns / 1e6;
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
function startTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
  } catch {
    return null; // ended between listing and reading
  }
}

/**
 * Waits until every process in the trees under `roots` started at least `ageMs` ago: an agent
 * CLI's start goes on in bursts for seconds after it answers (`claude`: ~0.8 s of CPU, then
 * background work in small steps for ~2 s more, too small for `untilQuiet` to see), and must
 * not land in the next measure. Gives up after `timeoutMs`.
 */
export async function untilSettled(roots: number[], ageMs = 3000, timeoutMs = 10_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const uptimeMs = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]) * 1000;
    const starts = roots.flatMap((root) => processTree(root)).map(startTicks);
    const youngest = Math.max(...starts.map((ticks) => ticks ?? 0)) * TICK_MS;
    const wait = youngest + ageMs - uptimeMs;
    if (wait <= 0 || performance.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 100)));
  }
}

/**
 * Waits until the trees under `roots` have been idle (at most one tick of CPU) for `windowMs`:
 * work a daemon or its agents still do after a turn (an agent's startup tasks, a rescan) then
 * does not land in the next measure of either side. Gives up after `timeoutMs` (an agent that
 * never idles) and returns how long it waited.
 */
export async function untilQuiet(
  roots: number[],
  windowMs = 200,
  timeoutMs = 5000,
): Promise<number> {
  const started = performance.now();
  let last = treeCpuMs(roots);
  let quietSince = started;
  while (performance.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const cpu = treeCpuMs(roots);
    if (cpu - last > TICK_MS) quietSince = performance.now();
    last = cpu;
    if (performance.now() - quietSince >= windowMs) break;
  }
  return performance.now() - started;
}
