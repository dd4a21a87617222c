import { describe, expect, it } from "vitest";
import { type HooksStatus, initialHooksStatus } from "../../../projections/hooks-status.js";
import { decideHookRun } from "./decide-hook-run.js";

const lastRun = (
  bootId: string | null,
  state: HooksStatus["state"] = "completed",
): HooksStatus => ({
  ...initialHooksStatus,
  state,
  runId: "run-1",
  bootId,
});

describe("decideHookRun", () => {
  it("runs when hooks never ran", () => {
    expect(decideHookRun(initialHooksStatus, "boot-1", false)).toEqual({
      run: true,
      reason: "first_run",
      interruptedRunId: null,
    });
  });

  it("does not run again after an engine restart in the same boot", () => {
    expect(decideHookRun(lastRun("boot-1"), "boot-1", false)).toMatchObject({
      run: false,
      reason: "already_ran_this_boot",
    });
  });

  it("runs after the workspace rebooted", () => {
    expect(decideHookRun(lastRun("boot-1"), "boot-2", false)).toMatchObject({
      run: true,
      reason: "new_boot",
    });
  });

  it("runs when asked to, whatever the boot", () => {
    expect(decideHookRun(lastRun("boot-1"), "boot-1", true)).toMatchObject({
      run: true,
      reason: "forced",
    });
  });

  it("runs at every engine start where the platform has no boot id", () => {
    expect(decideHookRun(lastRun(null), null, false)).toMatchObject({
      run: true,
      reason: "boot_unknown",
    });
  });

  it("names a run left open by an engine stop, and does not re-run it in the same boot", () => {
    expect(decideHookRun(lastRun("boot-1", "running"), "boot-1", false)).toEqual({
      run: false,
      reason: "already_ran_this_boot",
      interruptedRunId: "run-1",
    });
  });
});
