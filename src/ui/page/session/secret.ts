/** Where the page keeps the secret: this tab only, gone when it closes. */
export const SECRET_KEY = "replicas-engine-secret";

/** The secret a `#secret=...` fragment carries (a fragment is never sent to a server). */
export function secretFromFragment(hash: string): string | null {
  const match = /^#(?:.*&)?secret=([^&]+)/.exec(hash);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

/**
 * Takes the secret from the fragment into sessionStorage and wipes it from the address bar
 * (and so from the history), then answers the secret the tab holds, if any.
 */
export function loadSecret(): string | null {
  const fromFragment = secretFromFragment(location.hash);
  if (fromFragment) {
    sessionStorage.setItem(SECRET_KEY, fromFragment);
    history.replaceState(null, "", `${location.pathname}${location.search}`);
  }
  return sessionStorage.getItem(SECRET_KEY);
}

export function saveSecret(secret: string): void {
  sessionStorage.setItem(SECRET_KEY, secret);
}

export function forgetSecret(): void {
  sessionStorage.removeItem(SECRET_KEY);
}
