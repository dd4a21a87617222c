import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { unrefScheduler } from "./scheduler.js";

describe("unrefScheduler", () => {
  it("does not run a task due beyond the timer limit (~24.8 days) right away", async () => {
    let ran = false;
    const cancel = unrefScheduler.after(2 ** 31 + 1_000, () => {
      ran = true;
    });
    await sleep(50);
    cancel();
    expect(ran).toBe(false);
  });

  it("still runs a short task, and not once cancelled", async () => {
    const ran: string[] = [];
    unrefScheduler.after(5, () => ran.push("kept"));
    unrefScheduler.after(5, () => ran.push("cancelled"))();
    await sleep(50);
    expect(ran).toEqual(["kept"]);
  });
});
