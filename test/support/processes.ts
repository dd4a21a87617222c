import { readFileSync } from "node:fs";
import { execa } from "execa";

/** Whether a process still exists (signal 0 checks without signalling). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a process still runs: alive and not a zombie. A process killed after its parent
 * died waits as a zombie until PID 1 reaps it; it holds no pipe and runs nothing.
 */
export function processRunning(pid: number): boolean {
  if (!processAlive(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** The pids of a process's direct children whose command line matches (the engine's agents). */
export async function childPids(parentPid: number, commandLine: RegExp): Promise<number[]> {
  const { stdout } = await execa("ps", ["--ppid", String(parentPid), "-o", "pid=,args="], {
    reject: false,
    timeout: 10_000,
  });
  return stdout
    .split("\n")
    .filter((line) => commandLine.test(line))
    .map((line) => Number.parseInt(line.trim(), 10));
}
