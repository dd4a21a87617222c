import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { CommitNotifier } from "../log/commit-notifier.js";
import { CommitWaiters } from "./commit-waiters.js";

describe("CommitWaiters", () => {
  it("wakes a waiter on the next commit and keeps nothing of it afterwards", async () => {
    const commits = new CommitNotifier(0);
    const waiters = new CommitWaiters(commits);
    const connection = new AbortController();
    for (let position = 0; position < 1_000; position++) {
      const waiting = waiters.wait(position, 60_000, connection.signal);
      commits.notify(position + 1);
      expect(await waiting).toBe("commit");
    }
    expect(getEventListeners(connection.signal, "abort")).toHaveLength(0);
  });

  it("answers at once when the log is already past the position, and on close", async () => {
    const commits = new CommitNotifier(5);
    const waiters = new CommitWaiters(commits);
    const connection = new AbortController();
    expect(await waiters.wait(4, 60_000, connection.signal)).toBe("commit");
    const waiting = waiters.wait(5, 60_000, connection.signal);
    connection.abort();
    expect(await waiting).toBe("closed");
    expect(await waiters.wait(5, 60_000, connection.signal)).toBe("closed");
  });

  it("times out for a heartbeat", async () => {
    const waiters = new CommitWaiters(new CommitNotifier(0));
    const connection = new AbortController();
    expect(await waiters.wait(0, 10, connection.signal)).toBe("timeout");
    expect(getEventListeners(connection.signal, "abort")).toHaveLength(0);
  });
});
