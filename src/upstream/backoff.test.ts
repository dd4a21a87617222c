import { describe, expect, it } from "vitest";
import { retryDelay } from "./backoff.js";

const policy = { baseMs: 100, maxMs: 1_000 };

describe("retryDelay", () => {
  it("doubles per attempt up to the cap with the full step when random is 1", () => {
    const delays = [1, 2, 3, 4, 5, 6, 50].map((attempt) => retryDelay(attempt, policy, () => 1));
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
  });

  it("never goes below half the step (random 0) and spreads in between", () => {
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelay(attempt, policy, () => 0))).toEqual([
      50, 100, 200, 400, 500,
    ]);
    expect(retryDelay(3, policy, () => 0.5)).toBe(300);
  });

  it("stays finite for huge attempt counts (a very long outage)", () => {
    expect(retryDelay(10_000, policy, () => 1)).toBe(1_000);
  });
});
