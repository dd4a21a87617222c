/** Exponential backoff for calls to the control plane. */
export interface BackoffPolicy {
  /** Delay before the first retry; doubles with each failure. */
  baseMs: number;
  /** Upper bound of any delay, so a long outage is still probed regularly. */
  maxMs: number;
}

/**
 * Delay before retry number `attempt` (1 for the first retry): "equal jitter", half of the
 * exponential step plus a random share of the other half. Retries of many engines spread out,
 * and a delay never drops below half its step, so backoff still grows.
 */
export function retryDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(step / 2 + random() * (step / 2));
}
