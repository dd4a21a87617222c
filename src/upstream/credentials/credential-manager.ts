import { readFile } from "node:fs/promises";
import type { credentialsEvents } from "../../events/credentials-events.js";
import { writeFileAtomically } from "../../files/atomic-write.js";
import { type BackoffPolicy, retryDelay } from "../backoff.js";
import { type ControlPlane, postToControlPlane } from "../control-plane.js";
import type { RecordableEvent } from "../recordable-event.js";
import type { Scheduler } from "../scheduler.js";
import type { UpstreamLogger } from "../upstream-logger.js";
import type { CredentialKind, CredentialKindName } from "./credential-kind.js";
import { type RefreshTiming, refreshAfterSuccess, refreshAtStart } from "./refresh-schedule.js";

export type CredentialsEvent = RecordableEvent<(typeof credentialsEvents)[number]>;

export interface CredentialManagerOptions {
  controlPlane: ControlPlane;
  /** The credential file this manager replaces. */
  path: string;
  timing: RefreshTiming;
  retry: BackoffPolicy;
  scheduler: Scheduler;
  random: () => number;
  record: (event: CredentialsEvent) => void;
  logger: UpstreamLogger;
}

/** One manager's state for `GET /token-refresh/health`. Holds no credential. */
export interface CredentialHealth {
  kind: CredentialKindName;
  enabled: boolean;
  state: "starting" | "scheduled" | "refreshing" | "retrying" | "stopped" | "disabled";
  path: string;
  expiresAt: string | null;
  lastSuccessAt: string | null;
  lastError: { message: string; status: number | null; at: string } | null;
  consecutiveFailures: number;
  nextRefreshAt: string | null;
}

export interface CredentialManager {
  readonly kind: CredentialKindName;
  start(): void;
  health(): CredentialHealth;
  /** Cancels the timer, aborts the call in flight, resolves when in-flight work has ended. */
  stop(): Promise<void>;
}

type Failure = { status: number | null; message: string };

/**
 * Keeps one credential file fresh: refreshes ahead of expiry through the control plane,
 * retries failures with backoff, replaces the file atomically with mode 0600 and records
 * credentials.* events. The same code serves every kind; `kind` holds what differs.
 */
export function createCredentialManager<T>(
  kind: CredentialKind<T>,
  options: CredentialManagerOptions,
): CredentialManager {
  const { scheduler } = options;
  const stopController = new AbortController();
  let phase: CredentialHealth["state"] = "starting";
  let running: Promise<void> | null = null;
  let cancelTimer: (() => void) | null = null;
  let nextRefreshAt: number | null = null;
  let expiresAt: number | null = null;
  let lastSuccessAt: string | null = null;
  let lastError: CredentialHealth["lastError"] = null;
  let consecutiveFailures = 0;

  const iso = (ms: number) => new Date(ms).toISOString();
  const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
  const stopped = () => stopController.signal.aborted;

  function schedule(at: number): void {
    cancelTimer?.();
    cancelTimer = null;
    // Work that ends after stop() (a file write) must not plan another refresh.
    if (stopped()) return;
    nextRefreshAt = at;
    cancelTimer = scheduler.after(Math.max(0, at - scheduler.now()), () => {
      cancelTimer = null;
      if (!stopped()) void track(refresh);
    });
  }

  /** Runs boot or a refresh as the one piece of in-flight work; never rejects. */
  function track(work: () => Promise<void>): Promise<void> {
    if (running) return running;
    running = work()
      .catch((error: unknown) => {
        if (stopped()) return;
        fail({
          status: null,
          message: `internal error: ${error instanceof Error ? error.name : "error"}`,
        });
      })
      .finally(() => {
        running = null;
      });
    return running;
  }

  async function readCurrent(): Promise<string | null> {
    try {
      return await readFile(options.path, "utf8");
    } catch {
      return null;
    }
  }

  async function boot(): Promise<void> {
    const current = await readCurrent();
    if (stopped()) return;
    expiresAt = current === null ? null : kind.expiryOnDisk(current);
    const at = refreshAtStart(scheduler.now(), expiresAt, options.timing);
    options.logger.info(
      {
        expiresAt: isoOrNull(expiresAt),
        refreshAt: iso(at),
      },
      `credentials: ${kind.name} refresh planned`,
    );
    phase = "scheduled";
    schedule(at);
  }

  async function refresh(): Promise<void> {
    cancelTimer?.();
    cancelTimer = null;
    nextRefreshAt = null;
    phase = "refreshing";
    const body = JSON.stringify({
      workspaceId: options.controlPlane.workspaceId,
      expiresAt: isoOrNull(expiresAt),
    });
    const answer = await postToControlPlane(
      options.controlPlane,
      kind.route,
      body,
      stopController.signal,
    );
    if (stopped()) return;
    if (!answer.ok) return fail(answer);
    const parsed = kind.parseAnswer(answer.body);
    if (!parsed.ok) return fail({ status: answer.status, message: parsed.message });
    const written = await writeFileAtomically(
      options.path,
      kind.render(parsed.value, await readCurrent()),
    );
    if (!written.ok) return fail({ status: null, message: written.message });
    succeed(kind.expiresAt(parsed.value));
  }

  function succeed(newExpiry: number | null): void {
    const now = scheduler.now();
    const recoveredAfterFailures = consecutiveFailures;
    expiresAt = newExpiry;
    lastSuccessAt = iso(now);
    consecutiveFailures = 0;
    phase = "scheduled";
    const at = refreshAfterSuccess(now, newExpiry, options.timing);
    schedule(at);
    const data = {
      kind: kind.name,
      expiresAt: isoOrNull(newExpiry),
      nextRefreshAt: iso(at),
      recoveredAfterFailures,
    };
    options.logger.info(data, `credentials: ${kind.name} refreshed`);
    record({ type: "credentials.refreshed", data });
  }

  function fail(failure: Failure): void {
    const now = scheduler.now();
    consecutiveFailures += 1;
    lastError = { message: failure.message, status: failure.status, at: iso(now) };
    const delay = retryDelay(consecutiveFailures, options.retry, options.random);
    phase = "retrying";
    schedule(now + delay);
    const data = {
      kind: kind.name,
      status: failure.status,
      error: failure.message,
      expiresAt: isoOrNull(expiresAt),
      nextRetryAt: iso(now + delay),
    };
    options.logger.warn(
      {
        ...data,
        attempt: consecutiveFailures,
      },
      `credentials: ${kind.name} refresh failed`,
    );
    // One event per run of failures; the retries are visible in the health.
    if (consecutiveFailures === 1) record({ type: "credentials.refresh.failed", data });
  }

  function record(event: CredentialsEvent): void {
    try {
      options.record(event);
    } catch (error) {
      const reason = error instanceof Error ? error.name : "error";
      options.logger.warn({ type: event.type, reason }, "credentials: could not record event");
    }
  }

  return {
    kind: kind.name,
    start() {
      if (running || nextRefreshAt !== null || stopped()) return;
      void track(boot);
    },
    health() {
      return {
        kind: kind.name,
        enabled: true,
        state: stopped() ? "stopped" : phase,
        path: options.path,
        expiresAt: isoOrNull(expiresAt),
        lastSuccessAt,
        lastError,
        consecutiveFailures,
        nextRefreshAt: isoOrNull(nextRefreshAt),
      };
    },
    async stop() {
      stopController.abort();
      cancelTimer?.();
      cancelTimer = null;
      nextRefreshAt = null;
      await running;
    },
  };
}

/** The health of a kind that is not refreshed (standalone, or left out of the kinds list). */
export function disabledCredentialHealth(kind: CredentialKindName, path: string): CredentialHealth {
  return {
    kind,
    enabled: false,
    state: "disabled",
    path,
    expiresAt: null,
    lastSuccessAt: null,
    lastError: null,
    consecutiveFailures: 0,
    nextRefreshAt: null,
  };
}
