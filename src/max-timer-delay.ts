/**
 * The longest delay Node's setTimeout honours (2^31 − 1 ms, about 24.8 days). A longer one is
 * not an error: Node warns (TimeoutOverflowWarning) and fires after 1 ms instead, so a far-off
 * deadline turns into an immediate one. Delays from the environment are bounded by it at boot;
 * delays computed at run time (a credential's expiry) are clamped to it.
 */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;
