import { describe, expect, it } from "vitest";
import { SnapshotCache } from "./snapshot-cache.js";

describe("snapshot cache", () => {
  it("builds a key once per version, and again when the version moves", () => {
    const cache = new SnapshotCache();
    let builds = 0;
    const build = () => ({ build: ++builds });
    const text = (key: string, version: number) =>
      new TextDecoder().decode(cache.get(key, version, build));
    expect(text("chats?after=0&limit=2", 7)).toBe('{"build":1}');
    expect(text("chats?after=0&limit=2", 7)).toBe('{"build":1}');
    expect(text("chats?after=0&limit=3", 7)).toBe('{"build":2}');
    expect(text("chats?after=0&limit=2", 8)).toBe('{"build":3}');
  });

  it("keeps the 64 most recently used keys: a page polled all along stays built", () => {
    const cache = new SnapshotCache();
    let builds = 0;
    const build = () => ++builds;
    cache.get("polled", 1, build);
    for (let i = 0; i < 100; i++) {
      cache.get(`page-${i}`, 1, build);
      cache.get("polled", 1, build);
    }
    expect(builds).toBe(101);
    // page-99 back to page-37 are kept (63 of them, with "polled"); page-36 was dropped.
    cache.get("page-37", 1, build);
    expect(builds).toBe(101);
    cache.get("page-36", 1, build);
    expect(builds).toBe(102);
  });
});
