import { describe, expect, it } from "vitest";
import { githubCredential } from "./github-credential.js";

describe("githubCredential", () => {
  it("parses the answer and its expiry", () => {
    const parsed = githubCredential.parseAnswer({
      token: "ghs_abc",
      expiresAt: "2026-01-01T01:00:00Z",
    });
    if (!parsed.ok) throw new Error(parsed.message);
    expect(githubCredential.expiresAt(parsed.value)).toBe(Date.parse("2026-01-01T01:00:00Z"));
    const noExpiry = githubCredential.parseAnswer({ token: "ghs_abc" });
    if (!noExpiry.ok) throw new Error(noExpiry.message);
    expect(githubCredential.expiresAt(noExpiry.value)).toBeNull();
  });

  it("rejects a bad answer naming the field, never the value", () => {
    expect(githubCredential.parseAnswer({ token: "ghs_secret with space" })).toEqual({
      ok: false,
      message: 'invalid answer: field "token"',
    });
    expect(githubCredential.parseAnswer({ token: "ghs_x", expiresAt: "soon" })).toEqual({
      ok: false,
      message: 'invalid answer: field "expiresAt"',
    });
  });

  it("writes its line first, replaces the old one, keeps the others and escapes the token", () => {
    const current =
      "https://bob:pw@example.com\nhttps://x-access-token:old@github.com\n\nnot a url\n";
    expect(githubCredential.render({ token: "ghs_a/b" }, current)).toBe(
      "https://x-access-token:ghs_a%2Fb@github.com\nhttps://bob:pw@example.com\nnot a url\n",
    );
    expect(githubCredential.render({ token: "ghs_new" }, null)).toBe(
      "https://x-access-token:ghs_new@github.com\n",
    );
  });

  it("has no expiry on disk: a restart refreshes at once", () => {
    expect(githubCredential.expiryOnDisk("https://x-access-token:t@github.com\n")).toBeNull();
  });
});
