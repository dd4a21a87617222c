import { describe, expect, test } from "vitest";
import { decidePermission } from "./permission-policy.js";

describe("decidePermission (can_use_tool policy)", () => {
  const plan = { plan: "# Plan", planFilePath: "/home/u/.claude/plans/p.md" };

  test("ExitPlanMode is allowed with its input unchanged, in every mode", () => {
    for (const mode of ["plan", "default", "acceptEdits", "bypassPermissions"] as const) {
      expect(decidePermission("ExitPlanMode", plan, mode)).toEqual({
        behavior: "allow",
        updatedInput: plan,
      });
    }
  });

  test("AskUserQuestion is denied: nobody can answer", () => {
    const decision = decidePermission("AskUserQuestion", {}, "bypassPermissions");
    expect(decision.behavior).toBe("deny");
  });

  test("bypassPermissions allows any tool the CLI asks about", () => {
    expect(decidePermission("Bash", { command: "ls" }, "bypassPermissions")).toEqual({
      behavior: "allow",
      updatedInput: { command: "ls" },
    });
  });

  test("other modes deny, naming the tool and the mode", () => {
    for (const mode of ["plan", "default", "acceptEdits"] as const) {
      const decision = decidePermission("Bash", { command: "rm -rf /" }, mode);
      expect(decision.behavior).toBe("deny");
      expect(decision.behavior === "deny" && decision.message).toContain(`"${mode}"`);
    }
  });
});
