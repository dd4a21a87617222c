import { describe, expect, it } from "vitest";
import { refreshAfterSuccess, refreshAtStart } from "./refresh-schedule.js";

const timing = { leadMs: 600_000, fallbackMs: 2_700_000, minGapMs: 1_000 };
const now = 1_700_000_000_000;

describe("refreshAtStart", () => {
  it("refreshes now when the file is missing or its expiry unknown", () => {
    expect(refreshAtStart(now, null, timing)).toBe(now);
  });
  it("refreshes now inside the lead window or after expiry", () => {
    expect(refreshAtStart(now, now + 60_000, timing)).toBe(now);
    expect(refreshAtStart(now, now - 60_000, timing)).toBe(now);
  });
  it("waits until the lead window of a distant expiry", () => {
    expect(refreshAtStart(now, now + 3_600_000, timing)).toBe(now + 3_000_000);
  });
});

describe("refreshAfterSuccess", () => {
  it("refreshes leadMs before a distant expiry", () => {
    expect(refreshAfterSuccess(now, now + 3_600_000, timing)).toBe(now + 3_000_000);
  });
  it("refreshes halfway through a life shorter than twice the lead", () => {
    expect(refreshAfterSuccess(now, now + 600_000, timing)).toBe(now + 300_000);
  });
  it("never refreshes sooner than minGapMs, even for an already expired answer", () => {
    expect(refreshAfterSuccess(now, now - 5_000, timing)).toBe(now + 1_000);
  });
  it("uses the fallback interval when the expiry is unknown", () => {
    expect(refreshAfterSuccess(now, null, timing)).toBe(now + 2_700_000);
  });
});
