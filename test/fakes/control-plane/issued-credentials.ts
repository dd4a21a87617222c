import { randomBytes } from "node:crypto";

/** The credential kinds the control plane refreshes, with the route of each. */
export const credentialRoutes = {
  github: "/v1/engine/github/refresh-token",
  claude: "/v1/engine/claude/refresh-credentials",
  codex: "/v1/engine/codex/refresh-credentials",
} as const;
export type CredentialKindName = keyof typeof credentialRoutes;

const secret = (prefix: string) => `${prefix}${randomBytes(18).toString("hex")}`;

/** A JWT-shaped token (unsigned) whose payload carries `exp`, as Codex's access tokens do. */
export function fakeJwt(payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part(payload)}.${randomBytes(8).toString("base64url")}`;
}

export interface IssuedCredential {
  body: unknown;
  /** Every secret value in the body, to search logs and events for leaks. */
  secrets: string[];
}

/** A fresh answer of the refresh route of `kind`, expiring at `expiresAtMs`. */
export function issueCredential(kind: CredentialKindName, expiresAtMs: number): IssuedCredential {
  if (kind === "github") {
    const token = secret("ghs_");
    return { body: { token, expiresAt: new Date(expiresAtMs).toISOString() }, secrets: [token] };
  }
  if (kind === "claude") {
    const accessToken = secret("sk-ant-oat01-");
    const refreshToken = secret("sk-ant-ort01-");
    return {
      body: {
        claudeAiOauth: {
          accessToken,
          refreshToken,
          expiresAt: expiresAtMs,
          scopes: ["user:inference", "user:profile"],
          subscriptionType: "max",
        },
      },
      secrets: [accessToken, refreshToken],
    };
  }
  const accessToken = fakeJwt({ exp: Math.floor(expiresAtMs / 1000), sub: secret("user-") });
  const idToken = fakeJwt({ email: "dev@example.com", sub: secret("user-") });
  const refreshToken = secret("rt_");
  return {
    body: {
      auth_mode: "chatgpt",
      OPENAI_API_KEY: null,
      tokens: {
        id_token: idToken,
        access_token: accessToken,
        refresh_token: refreshToken,
        account_id: "acct-fake",
      },
      last_refresh: new Date().toISOString(),
    },
    secrets: [accessToken, idToken, refreshToken],
  };
}
