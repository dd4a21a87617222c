export interface RefreshTiming {
  /** Refresh this long before expiry. */
  leadMs: number;
  /** Refresh interval when the expiry is unknown (GitHub without expiresAt, Codex API keys). */
  fallbackMs: number;
  /** Never refresh again sooner than this after a success, whatever the expiry says. */
  minGapMs: number;
}

/**
 * When to refresh a credential found on disk at start: now if it is missing, of unknown expiry
 * or inside the lead window, else `leadMs` before it expires.
 */
export function refreshAtStart(
  now: number,
  expiresAt: number | null,
  timing: RefreshTiming,
): number {
  if (expiresAt === null) return now;
  return Math.max(now, expiresAt - timing.leadMs);
}

/**
 * When to refresh a credential just received: `leadMs` before expiry, but at the latest halfway
 * through its life, so a credential shorter-lived than the lead is not refreshed in a loop.
 */
export function refreshAfterSuccess(
  now: number,
  expiresAt: number | null,
  timing: RefreshTiming,
): number {
  if (expiresAt === null) return now + timing.fallbackMs;
  const lead = Math.min(timing.leadMs, (expiresAt - now) / 2);
  return Math.max(now + timing.minGapMs, Math.round(expiresAt - lead));
}
