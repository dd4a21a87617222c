import { describe, expect, test } from "vitest";
import { STDERR_TAIL_CHARS, StderrTail } from "./stderr-tail.js";

const KEY = "sk-test-straddling-secret-value-0123456789";

describe("StderrTail", () => {
  test("a key straddling the cut is redacted before the cut: no part of it survives", () => {
    const tail = new StderrTail({ OPENAI_API_KEY: KEY });
    // The key ends 10 characters into the last STDERR_TAIL_CHARS of the raw text.
    tail.push(`key=${KEY}`);
    tail.push(`${"x".repeat(STDERR_TAIL_CHARS - 10)}\n`);
    const text = tail.text();
    expect(text.length).toBeLessThanOrEqual(STDERR_TAIL_CHARS);
    for (let n = 6; n <= KEY.length; n += 1) expect(text).not.toContain(KEY.slice(-n));
    expect(text).toContain("[redacted]".slice(-5));
  });

  test("keeps the end of a long stderr, whole lines, and reports lines redacted", () => {
    const lines: string[] = [];
    const tail = new StderrTail({ ANTHROPIC_API_KEY: KEY }, (line) => lines.push(line));
    for (let n = 0; n < 5000; n += 1) tail.push(`line ${n}\n`);
    tail.push(`fatal: ${KEY}\n`);
    expect(tail.text().endsWith("line 4999\nfatal: [redacted]\n")).toBe(true);
    expect(lines.at(-1)).toBe("fatal: [redacted]");
    expect(lines.join("\n")).not.toContain(KEY);
  });

  test("a line longer than what is held is dropped, not kept cut at its start", () => {
    const tail = new StderrTail({ CLAUDE_TOKEN: KEY });
    tail.push(`${KEY}${"z".repeat(70_000)}`);
    tail.push("after\n");
    expect(tail.text()).not.toContain(KEY.slice(-12));
    expect(tail.text()).toContain("omitted");
    expect(tail.text()).toContain("after");
  });
});
