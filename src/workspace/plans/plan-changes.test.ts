import { describe, expect, it } from "vitest";
import { planKey } from "../../../projections/plans.js";
import type { PlanFile } from "../../events/plan-events.js";
import { decidePlanEvents, type KnownPlans } from "./plan-changes.js";

function plan(name: string, content = "a", overrides: Partial<PlanFile> = {}): PlanFile {
  return {
    name,
    source: "claude",
    size: content.length,
    mtime: "2026-01-01T00:00:00.000Z",
    sha256: content.repeat(64).slice(0, 64),
    ...overrides,
  };
}

const known = (...plans: PlanFile[]): KnownPlans => new Map(plans.map((p) => [planKey(p), p]));

describe("decidePlanEvents", () => {
  it("given no plans, when one appears, then plan.created", () => {
    expect(decidePlanEvents(known(), [plan("x.md")])).toEqual([
      { type: "plan.created", data: plan("x.md") },
    ]);
  });

  it("given a plan, when its content changes, then plan.updated", () => {
    const changed = plan("x.md", "b", { mtime: "2026-01-02T00:00:00.000Z" });
    expect(decidePlanEvents(known(plan("x.md")), [changed])).toEqual([
      { type: "plan.updated", data: changed },
    ]);
  });

  it("given a plan, when only its mtime changes, then nothing", () => {
    const touched = plan("x.md", "a", { mtime: "2026-03-01T00:00:00.000Z" });
    expect(decidePlanEvents(known(plan("x.md")), [touched])).toEqual([]);
  });

  it("given a plan, when it is gone, then plan.removed", () => {
    expect(decidePlanEvents(known(plan("x.md")), [])).toEqual([
      { type: "plan.removed", data: { name: "x.md", source: "claude" } },
    ]);
  });

  it("tells the same name in the two folders apart", () => {
    const replicas = plan("x.md", "a", { source: "replicas" });
    expect(decidePlanEvents(known(plan("x.md")), [plan("x.md"), replicas])).toEqual([
      { type: "plan.created", data: replicas },
    ]);
  });
});
