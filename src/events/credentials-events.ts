import * as v from "valibot";
import { defineEvent } from "./define-event.js";

const CredentialKind = v.picklist(["github", "claude", "codex"]);

/** A credential file was replaced with a fresh credential. Never carries the credential. */
export const credentialsRefreshed = defineEvent(
  "credentials.refreshed",
  v.object({
    kind: CredentialKind,
    /** Expiry of the new credential, null when neither the answer nor the file tells it. */
    expiresAt: v.nullable(v.string()),
    nextRefreshAt: v.string(),
    /** Failed attempts just before this success (0 on a plain refresh). */
    recoveredAfterFailures: v.number(),
  }),
);

/** Refreshing started failing; recorded once per run of failures, retries are in the health. */
export const credentialsRefreshFailed = defineEvent(
  "credentials.refresh.failed",
  v.object({
    kind: CredentialKind,
    status: v.nullable(v.number()),
    error: v.string(),
    /** Expiry of the credential still on disk, null when unknown. */
    expiresAt: v.nullable(v.string()),
    nextRetryAt: v.string(),
  }),
);

export const credentialsEvents = [credentialsRefreshed, credentialsRefreshFailed] as const;
