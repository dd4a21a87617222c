import { describe, expect, test } from "vitest";
import { redactSecrets } from "./secret-redaction.js";

describe("redactSecrets", () => {
  test("values of secret-looking variables are removed wherever they appear", () => {
    const env = {
      ANTHROPIC_API_KEY: "my-very-private-value",
      AWS_SESSION_TOKEN: "tok123456789",
      HOME: "/home/u",
    };
    const out = redactSecrets("key=my-very-private-value token tok123456789 in /home/u", env);
    expect(out).toBe("key=[redacted] token [redacted] in /home/u");
  });

  test("token shapes are removed whatever their source", () => {
    const out = redactSecrets(
      "Authorization: Bearer abc.def-123 x-api-key: zzz999 sk-ant-api03-XYZ_abc AKIAABCDEFGHIJKLMNOP",
      {},
    );
    expect(out).not.toMatch(/abc\.def-123|zzz999|sk-ant-api03|AKIAABCDEFGHIJKLMNOP/);
    expect(out).toContain("Bearer [redacted]");
  });

  test("short or non-secret values are left alone", () => {
    expect(redactSecrets("mode 1 on", { SOME_KEY: "1", PATH: "/usr/bin" })).toBe("mode 1 on");
  });
});
