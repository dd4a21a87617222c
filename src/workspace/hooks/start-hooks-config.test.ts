import { describe, expect, it } from "vitest";
import { parseStartHooksConfig } from "./start-hooks-config.js";

const parse = (config: unknown) => parseStartHooksConfig(JSON.stringify(config));

describe("parseStartHooksConfig", () => {
  it("turns argv hooks and shell-line hooks into programs with arguments", () => {
    expect(
      parse({
        hooks: [
          { name: "install", command: ["npm", "ci", "--no-audit"], timeoutMs: 120_000 },
          { name: "services", run: "docker compose up -d && ./seed.sh" },
        ],
      }),
    ).toEqual({
      ok: true,
      hooks: [
        { name: "install", file: "npm", args: ["ci", "--no-audit"], timeoutMs: 120_000 },
        {
          name: "services",
          file: "sh",
          args: ["-c", "docker compose up -d && ./seed.sh"],
          timeoutMs: 600_000,
        },
      ],
    });
  });

  it.each([
    ["not JSON", "{", /not JSON/],
    ["no hooks list", {}, /hooks/],
    ["both command and run", { hooks: [{ name: "x", command: ["a"], run: "a" }] }, /hooks\.0/],
    ["neither command nor run", { hooks: [{ name: "x" }] }, /hooks\.0/],
    ["an empty argv", { hooks: [{ name: "x", command: [] }] }, /hooks\.0/],
    ["a command given as a string", { hooks: [{ name: "x", command: "npm ci" }] }, /hooks\.0/],
    [
      "a timeout over an hour",
      { hooks: [{ name: "x", run: "a", timeoutMs: 3_600_001 }] },
      /hooks\.0/,
    ],
    [
      "duplicate names",
      {
        hooks: [
          { name: "x", run: "a" },
          { name: "x", run: "b" },
        ],
      },
      /unique/,
    ],
    ["an unknown field", { hooks: [{ name: "x", run: "a", cwd: "/" }] }, /hooks\.0/],
  ])("refuses %s", (_label, config, message) => {
    const result = typeof config === "string" ? parseStartHooksConfig(config) : parse(config);
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.message).toMatch(message);
  });
});
