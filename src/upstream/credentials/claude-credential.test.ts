import { describe, expect, it } from "vitest";
import { claudeCredential } from "./claude-credential.js";

const answer = {
  claudeAiOauth: {
    accessToken: "sk-ant-oat01-new",
    refreshToken: "sk-ant-ort01-new",
    expiresAt: 1_800_000_000_000,
    scopes: ["user:inference"],
    subscriptionType: "max",
  },
};

describe("claudeCredential", () => {
  it("takes the expiry from claudeAiOauth.expiresAt (epoch ms)", () => {
    const parsed = claudeCredential.parseAnswer(answer);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(claudeCredential.expiresAt(parsed.value)).toBe(1_800_000_000_000);
    expect(claudeCredential.expiryOnDisk(JSON.stringify(answer))).toBe(1_800_000_000_000);
  });

  it("replaces claudeAiOauth and keeps the file's other keys", () => {
    const parsed = claudeCredential.parseAnswer(answer);
    if (!parsed.ok) throw new Error(parsed.message);
    const current = JSON.stringify({ claudeAiOauth: { accessToken: "old" }, mcpOAuth: { s: 1 } });
    expect(JSON.parse(claudeCredential.render(parsed.value, current))).toEqual({
      ...answer,
      mcpOAuth: { s: 1 },
    });
    expect(JSON.parse(claudeCredential.render(parsed.value, "not json"))).toEqual(answer);
  });

  it("rejects an answer without a numeric expiry, naming only the field", () => {
    const result = claudeCredential.parseAnswer({
      claudeAiOauth: { accessToken: "sk-ant-x", expiresAt: "sk-ant-x" },
    });
    expect(result).toEqual({
      ok: false,
      message: 'invalid answer: field "claudeAiOauth.expiresAt"',
    });
    expect(claudeCredential.expiryOnDisk("{}")).toBeNull();
  });
});
