import { describe, expect, it } from "vitest";
import { CommitNotifier } from "../log/commit-notifier.js";
import { CommitWaiters } from "./commit-waiters.js";

describe("CommitWaiters", () => {
  it("wakes a waiter on the next commit and keeps nothing of it afterwards", async () => {
    const commits = new CommitNotifier(0);
    const waiters = new CommitWaiters(commits);
    const waiter = waiters.waiter();
    for (let position = 0; position < 1_000; position++) {
      const waiting = waiter.wait(position);
      expect(waiters.size).toBe(1);
      commits.notify(position + 1);
      await waiting;
    }
    expect(waiters.size).toBe(0);
  });

  it("answers at once when the log is already past the position, and ends a wait on release", async () => {
    const commits = new CommitNotifier(5);
    const waiters = new CommitWaiters(commits);
    const waiter = waiters.waiter();
    await waiter.wait(4);
    expect(waiters.size).toBe(0);
    let ended = false;
    const waiting = waiter.wait(5).then(() => {
      ended = true;
    });
    await Promise.resolve();
    expect(ended).toBe(false);
    waiter.release();
    await waiting;
    expect(waiters.size).toBe(0);
    // A release with no wait open is a no-op; the next commit wakes the next wait.
    waiter.release();
    const next = waiter.wait(5);
    commits.notify(6);
    await next;
  });
});
