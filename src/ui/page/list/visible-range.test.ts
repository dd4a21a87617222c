import { describe, expect, it } from "vitest";
import { offsetsOf, visibleRange } from "./visible-range.js";

describe("visibleRange", () => {
  const tenThousand = offsetsOf(10_000, (i) => (i % 2 ? 30 : 50));

  it("offsets add up the heights", () => {
    expect(tenThousand[0]).toBe(0);
    expect(tenThousand[2]).toBe(80);
    expect(tenThousand[10_000]).toBe(400_000);
  });

  it("renders only the items that cross the viewport and its overscan", () => {
    // The viewport 40,000..40,600 with 100 px either side: items 997 to 1,017.
    expect(visibleRange(tenThousand, 40_000, 600, 100)).toEqual({ start: 997, end: 1018 });
  });

  it("clamps at both ends and handles an empty list", () => {
    expect(visibleRange(tenThousand, 0, 600, 100)).toEqual({ start: 0, end: 18 });
    expect(visibleRange(tenThousand, 399_800, 600, 100)).toEqual({ start: 9_992, end: 10_000 });
    expect(
      visibleRange(
        offsetsOf(0, () => 10),
        0,
        600,
        100,
      ),
    ).toEqual({ start: 0, end: 0 });
  });
});
