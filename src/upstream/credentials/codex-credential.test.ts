import { describe, expect, it } from "vitest";
import { codexCredential } from "./codex-credential.js";

function jwt(payload: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256" })}.${part(payload)}.signature`;
}

const chatgpt = (accessToken: string) => ({
  auth_mode: "chatgpt",
  OPENAI_API_KEY: null,
  tokens: { id_token: jwt({}), access_token: accessToken, refresh_token: "rt_x", account_id: "a" },
  last_refresh: "2026-01-01T00:00:00Z",
});

describe("codexCredential", () => {
  it("reads the expiry from the access token's exp claim", () => {
    const auth = chatgpt(jwt({ exp: 1_800_000_000 }));
    const parsed = codexCredential.parseAnswer(auth);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(codexCredential.expiresAt(parsed.value)).toBe(1_800_000_000_000);
    expect(codexCredential.expiryOnDisk(JSON.stringify(auth))).toBe(1_800_000_000_000);
  });

  it("has no expiry for API keys and opaque tokens", () => {
    const apiKey = codexCredential.parseAnswer({ auth_mode: "apikey", OPENAI_API_KEY: "sk-x" });
    if (!apiKey.ok) throw new Error(apiKey.message);
    expect(codexCredential.expiresAt(apiKey.value)).toBeNull();
    const opaque = codexCredential.parseAnswer(chatgpt("opaque-token"));
    if (!opaque.ok) throw new Error(opaque.message);
    expect(codexCredential.expiresAt(opaque.value)).toBeNull();
    expect(codexCredential.expiryOnDisk("not json")).toBeNull();
  });

  it("writes the answer as the whole file", () => {
    const auth = chatgpt(jwt({ exp: 1 }));
    const parsed = codexCredential.parseAnswer(auth);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(JSON.parse(codexCredential.render(parsed.value, '{"old":true}'))).toEqual(auth);
  });

  it("rejects an answer with neither tokens nor an API key", () => {
    expect(codexCredential.parseAnswer({ auth_mode: "chatgpt" })).toEqual({
      ok: false,
      message: "invalid answer",
    });
  });
});
