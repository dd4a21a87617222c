import type { TurnUsage } from "../../events/chat-events.js";
import type { TokenUsageBreakdown } from "./codex-protocol.js";

/**
 * Codex reports the thread's cumulative totals (`thread/tokenUsage/updated.tokenUsage.total`).
 * A turn's own usage is the difference between the last totals seen in the turn and the totals
 * before it began (`baseline`, null for a new thread).
 *
 * OpenAI counts cached tokens inside `inputTokens`; TurnUsage keeps the buckets disjoint (as
 * Claude reports them), so `inputTokens` here is the uncached part.
 */
export function turnUsage(
  totals: TokenUsageBreakdown,
  baseline: TokenUsageBreakdown | null,
): TurnUsage {
  const delta = (pick: (usage: TokenUsageBreakdown) => number) =>
    Math.max(0, pick(totals) - (baseline ? pick(baseline) : 0));
  const input = delta((u) => u.inputTokens);
  const cacheRead = delta((u) => u.cachedInputTokens);
  return {
    inputTokens: Math.max(0, input - cacheRead),
    outputTokens: delta((u) => u.outputTokens),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: delta((u) => u.cacheWriteInputTokens),
    reasoningTokens: delta((u) => u.reasoningOutputTokens),
  };
}
