export type CredentialKindName = "github" | "claude" | "codex";

export type ParsedAnswer<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * What differs between credentials: the control plane route, the file, the answer's shape, how
 * the file is written and where the expiry is read. The manager does the rest for all kinds.
 */
export interface CredentialKind<T> {
  readonly name: CredentialKindName;
  /** Route under MONOLITH_URL that hands out a fresh credential. */
  readonly route: string;
  parseAnswer(body: unknown): ParsedAnswer<T>;
  /** The new file content; `current` is the file as it is (null when missing), to keep what is not ours. */
  render(value: T, current: string | null): string;
  /** Expiry in epoch ms of a fresh credential, null when unknown. */
  expiresAt(value: T): number | null;
  /** Expiry of the credential already on disk, null when unknown or unreadable. */
  expiryOnDisk(current: string): number | null;
}
