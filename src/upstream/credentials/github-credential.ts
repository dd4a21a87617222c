import * as v from "valibot";
import type { CredentialKind } from "./credential-kind.js";
import { answerParser } from "./parse-answer.js";

const GithubAnswer = v.object({
  token: v.pipe(v.string(), v.regex(/^\S+$/)),
  /** ISO time; GitHub installation tokens live one hour. */
  expiresAt: v.optional(v.nullable(v.pipe(v.string(), v.isoTimestamp()))),
});
type GithubAnswer = v.InferOutput<typeof GithubAnswer>;

const tokenUser = "x-access-token";

/** True for the line of `~/.git-credentials` this manager owns. */
function isOurLine(line: string): boolean {
  try {
    const url = new URL(line.trim());
    return url.hostname === "github.com" && url.username === tokenUser;
  } catch {
    return false;
  }
}

/**
 * `~/.git-credentials` (git's credential store): our line goes first, since the store answers
 * with the first match; every other line is kept as it was.
 */
export const githubCredential: CredentialKind<GithubAnswer> = {
  name: "github",
  route: "/v1/engine/github/refresh-token",
  parseAnswer: answerParser(GithubAnswer),
  render(value, current) {
    const kept = (current ?? "")
      .split("\n")
      .filter((line) => line.trim() !== "" && !isOurLine(line));
    const ours = `https://${tokenUser}:${encodeURIComponent(value.token)}@github.com`;
    return `${[ours, ...kept].join("\n")}\n`;
  },
  expiresAt: (value) => (value.expiresAt ? Date.parse(value.expiresAt) : null),
  // The store has no expiry: after a restart the token is refreshed at once.
  expiryOnDisk: () => null,
};
