/**
 * Bounds a child started with `detached: true` (its own process group). On timeout the whole
 * group gets `SIGTERM`, then `SIGKILL` after `graceMs`: killing only the direct child would leave
 * its children running and holding the output pipes open, so the call would not end in time.
 */
export interface GroupTimeout {
  readonly timedOut: () => boolean;
  /** Stops the group now, as a timeout would (the engine is shutting down). */
  readonly fireNow: () => void;
  /** Call once the child has exited: cancels the timer, and kills what is left after a timeout. */
  readonly settle: () => void;
}

export function armGroupTimeout(
  pid: number | undefined,
  timeoutMs: number,
  graceMs: number,
): GroupTimeout {
  let fired = false;
  let graceTimer: NodeJS.Timeout | undefined;
  const fire = () => {
    if (fired) return;
    fired = true;
    clearTimeout(timer);
    killGroup(pid, graceMs === 0 ? "SIGKILL" : "SIGTERM");
    if (graceMs > 0) graceTimer = setTimeout(() => killGroup(pid, "SIGKILL"), graceMs);
  };
  const timer = setTimeout(fire, timeoutMs);
  return {
    timedOut: () => fired,
    fireNow: fire,
    settle: () => {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      if (fired) killGroup(pid, "SIGKILL");
    },
  };
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}
