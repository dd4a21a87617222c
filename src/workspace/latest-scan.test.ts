import { describe, expect, it } from "vitest";
import { latestScan } from "./latest-scan.js";

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("latestScan", () => {
  it("given two overlapping scans, when the older one finishes last, then it is answered but not recorded", async () => {
    const recorded: string[] = [];
    const scan = latestScan((state: string) => recorded.push(state));
    const older = deferred<string>();
    const newer = deferred<string>();
    const first = scan(() => older.promise);
    const second = scan(() => newer.promise);
    newer.resolve("after the commit");
    older.resolve("before the commit");
    expect(await Promise.all([first, second])).toEqual(["before the commit", "after the commit"]);
    expect(recorded).toEqual(["after the commit"]);
  });

  it("given scans that finish in the order they started, then each is recorded", async () => {
    const recorded: number[] = [];
    const scan = latestScan((state: number) => recorded.push(state));
    await scan(async () => 1);
    const overlapping = [scan(async () => 2), scan(async () => 3)];
    await Promise.all(overlapping);
    expect(recorded).toEqual([1, 2, 3]);
  });
});
