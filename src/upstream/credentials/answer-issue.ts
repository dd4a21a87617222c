import * as v from "valibot";

/**
 * Describes why an answer failed validation by its path only: valibot's messages quote the
 * received value, which here could be a token.
 */
export function answerIssue(issues: readonly v.BaseIssue<unknown>[]): string {
  const path = issues[0] ? v.getDotPath(issues[0]) : null;
  return path ? `invalid answer: field "${path}"` : "invalid answer";
}
