import { describe, expect, test } from "vitest";
import { turnUsage } from "./turn-usage.js";

const totals = (input: number, cached: number, output: number, reasoning: number) => ({
  totalTokens: input + output,
  inputTokens: input,
  cachedInputTokens: cached,
  cacheWriteInputTokens: 0,
  outputTokens: output,
  reasoningOutputTokens: reasoning,
});

describe("turnUsage", () => {
  test("a new thread: its totals are the turn's, cached tokens split out of input", () => {
    expect(turnUsage(totals(100, 20, 10, 3), null)).toEqual({
      inputTokens: 80,
      cacheReadTokens: 20,
      cacheWriteTokens: 0,
      outputTokens: 10,
      reasoningTokens: 3,
    });
  });

  test("a later turn: only the growth since the previous totals", () => {
    expect(turnUsage(totals(650, 470, 57, 8), totals(100, 20, 10, 3))).toEqual({
      inputTokens: 100,
      cacheReadTokens: 450,
      cacheWriteTokens: 0,
      outputTokens: 47,
      reasoningTokens: 5,
    });
  });

  test("totals that went down (a compacted or reset thread) never give negative usage", () => {
    const usage = turnUsage(totals(50, 10, 5, 0), totals(100, 20, 10, 3));
    expect(Object.values(usage).every((n) => n >= 0)).toBe(true);
  });
});
