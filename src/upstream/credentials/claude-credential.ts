import * as v from "valibot";
import type { CredentialKind } from "./credential-kind.js";
import { answerParser } from "./parse-answer.js";

/** `~/.claude/.credentials.json` as Claude Code reads it; unknown fields are kept. */
const ClaudeCredentials = v.looseObject({
  claudeAiOauth: v.looseObject({
    accessToken: v.pipe(v.string(), v.minLength(1)),
    refreshToken: v.optional(v.string()),
    /** Epoch milliseconds. */
    expiresAt: v.number(),
    scopes: v.optional(v.array(v.string())),
    subscriptionType: v.optional(v.nullable(v.string())),
  }),
});
type ClaudeCredentials = v.InferOutput<typeof ClaudeCredentials>;

/** The answer is the file's content; other top-level keys of the file (e.g. MCP OAuth) stay. */
export const claudeCredential: CredentialKind<ClaudeCredentials> = {
  name: "claude",
  route: "/v1/engine/claude/refresh-credentials",
  parseAnswer: answerParser(ClaudeCredentials),
  render(value, current) {
    return `${JSON.stringify({ ...jsonObject(current), ...value }, null, 2)}\n`;
  },
  expiresAt: (value) => value.claudeAiOauth.expiresAt,
  expiryOnDisk(current) {
    const result = v.safeParse(ClaudeCredentials, jsonObject(current));
    return result.success ? result.output.claudeAiOauth.expiresAt : null;
  },
};

function jsonObject(text: string | null): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text ?? "");
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
