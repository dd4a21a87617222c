import * as v from "valibot";
import type { CredentialKind } from "./credential-kind.js";
import { answerParser } from "./parse-answer.js";

/**
 * `~/.codex/auth.json` (shared/reference/codex/PROTOCOL.md): ChatGPT tokens, or an API key.
 * Unknown fields are kept.
 */
const CodexAuth = v.pipe(
  v.looseObject({
    auth_mode: v.optional(v.string()),
    OPENAI_API_KEY: v.optional(v.nullable(v.string())),
    tokens: v.optional(
      v.nullable(
        v.looseObject({
          id_token: v.string(),
          access_token: v.pipe(v.string(), v.minLength(1)),
          refresh_token: v.string(),
          account_id: v.optional(v.nullable(v.string())),
        }),
      ),
    ),
    last_refresh: v.optional(v.nullable(v.string())),
  }),
  v.check((auth) => Boolean(auth.tokens || auth.OPENAI_API_KEY), "needs tokens or OPENAI_API_KEY"),
);
type CodexAuth = v.InferOutput<typeof CodexAuth>;

/** The `exp` claim of a JWT access token, in ms; null for API keys and opaque tokens. */
function expiryOf(auth: CodexAuth): number | null {
  const payload = auth.tokens?.access_token.split(".")[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const exp = claims && typeof claims === "object" && "exp" in claims ? claims.exp : null;
    return typeof exp === "number" ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/** The answer is the whole auth.json: it replaces the file. */
export const codexCredential: CredentialKind<CodexAuth> = {
  name: "codex",
  route: "/v1/engine/codex/refresh-credentials",
  parseAnswer: answerParser(CodexAuth),
  render: (value) => `${JSON.stringify(value, null, 2)}\n`,
  expiresAt: expiryOf,
  expiryOnDisk(current) {
    try {
      const result = v.safeParse(CodexAuth, JSON.parse(current));
      return result.success ? expiryOf(result.output) : null;
    } catch {
      return null;
    }
  },
};
