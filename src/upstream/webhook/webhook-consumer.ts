import type { webhookEvents } from "../../events/webhook-events.js";
import { type BackoffPolicy, retryDelay } from "../backoff.js";
import { type ControlPlane, postToControlPlane } from "../control-plane.js";
import type { RecordableEvent } from "../recordable-event.js";
import type { Scheduler } from "../scheduler.js";
import type { UpstreamLogger } from "../upstream-logger.js";
import { type BatchLimits, buildWebhookBatch, type WebhookBatch } from "./webhook-batch.js";
import type { CheckpointStore, WebhookSource } from "./webhook-source.js";

export const webhookPath = "/v1/engine/webhook";
/** The consumer's name in the checkpoint store. */
export const webhookCheckpointName = "webhook";

export type WebhookEvent = RecordableEvent<(typeof webhookEvents)[number]>;

export interface WebhookConsumerOptions {
  controlPlane: ControlPlane;
  source: WebhookSource;
  checkpoints: CheckpointStore;
  /** Appends a webhook.* event to the log (which the consumer will deliver in turn). */
  record: (event: WebhookEvent) => void;
  logger: UpstreamLogger;
  limits: BatchLimits;
  retry: BackoffPolicy;
  scheduler: Scheduler;
  random: () => number;
}

/** The consumer's state for `/status`. */
export interface WebhookStatus {
  state: "idle" | "delivering" | "retrying" | "stopped";
  /** Last position the control plane acknowledged (the durable checkpoint). */
  position: number;
  lastPosition: number;
  /** Committed events not yet acknowledged. */
  lag: number;
  lastDeliveredAt: string | null;
  consecutiveFailures: number;
  failingSince: string | null;
  lastError: { message: string; status: number | null; at: string } | null;
  nextRetryAt: string | null;
}

export interface WebhookConsumer {
  start(): void;
  status(): WebhookStatus;
  /** Cancels the retry timer, aborts the request in flight, resolves when the loop has ended. */
  stop(): Promise<void>;
}

/**
 * Posts committed events to the control plane in log order, in bounded batches, and advances
 * its durable checkpoint only on a 2xx: at-least-once across outages and restarts.
 */
export function createWebhookConsumer(options: WebhookConsumerOptions): WebhookConsumer {
  const { controlPlane, source, checkpoints, scheduler } = options;
  const stopController = new AbortController();
  let position = 0;
  let running: Promise<void> | null = null;
  let cancelRetry: (() => void) | null = null;
  let unsubscribe: (() => void) | null = null;
  let lastDeliveredAt: string | null = null;
  let consecutiveFailures = 0;
  let failingSince: string | null = null;
  let lastError: WebhookStatus["lastError"] = null;
  let nextRetryAt: string | null = null;

  const iso = (ms: number) => new Date(ms).toISOString();
  const stopped = () => stopController.signal.aborted;

  function record(event: WebhookEvent): void {
    try {
      options.record(event);
    } catch (error) {
      // The log refused the event: delivery state is still in status(), keep delivering.
      const reason = error instanceof Error ? error.name : "error";
      options.logger.warn({ type: event.type, reason }, "webhook: could not record event");
    }
  }

  function kick(): void {
    if (stopped() || running || cancelRetry) return;
    running = deliverAll().finally(() => {
      running = null;
      // A commit may have arrived between the last read and the end of the loop.
      if (hasMore()) kick();
    });
  }

  function hasMore(): boolean {
    try {
      return source.lastPosition() > position;
    } catch {
      return false;
    }
  }

  /** Never rejects: a failing log read or checkpoint save is retried like a failed post. */
  async function deliverAll(): Promise<void> {
    try {
      await deliverBatches();
    } catch (error) {
      if (stopped()) return;
      const reason = error instanceof Error ? error.name : "error";
      fail({ status: null, message: `event log error: ${reason}` }, null);
    }
  }

  async function deliverBatches(): Promise<void> {
    while (!stopped()) {
      const events = source.readAfter(position, options.limits.maxEvents);
      const batch = buildWebhookBatch(controlPlane.workspaceId, events, options.limits);
      if (!batch) return;
      const result = await postToControlPlane(
        controlPlane,
        webhookPath,
        batch.body,
        stopController.signal,
      );
      if (!result.ok) {
        if (!stopped()) fail(result, batch);
        return;
      }
      // An acknowledged batch is checkpointed even if stop() came meanwhile: fewer duplicates.
      position = batch.toPosition;
      checkpoints.save(webhookCheckpointName, position);
      lastDeliveredAt = iso(scheduler.now());
      if (consecutiveFailures > 0) recover();
    }
  }

  /** `batch` is null when the engine's own log failed: that is logged, not recorded in it. */
  function fail(failure: { status: number | null; message: string }, batch: WebhookBatch | null) {
    const now = scheduler.now();
    consecutiveFailures += 1;
    failingSince ??= iso(now);
    lastError = { message: failure.message, status: failure.status, at: iso(now) };
    const delay = retryDelay(consecutiveFailures, options.retry, options.random);
    nextRetryAt = iso(now + delay);
    cancelRetry = scheduler.after(delay, () => {
      cancelRetry = null;
      nextRetryAt = null;
      kick();
    });
    options.logger.warn(
      {
        status: failure.status,
        error: failure.message,
        attempt: consecutiveFailures,
        retryInMs: delay,
        ...(failure.status === 401
          ? { hint: "the control plane refused REPLICAS_ENGINE_SECRET" }
          : {}),
      },
      "webhook: delivery failed",
    );
    if (consecutiveFailures === 1 && batch) {
      record({
        type: "webhook.delivery.failed",
        data: {
          status: failure.status,
          error: failure.message,
          fromPosition: batch.fromPosition,
          toPosition: batch.toPosition,
          nextRetryAt,
        },
      });
    }
  }

  function recover(): void {
    const data = {
      failedAttempts: consecutiveFailures,
      failingSince: failingSince ?? "",
      position,
    };
    consecutiveFailures = 0;
    failingSince = null;
    options.logger.info(data, "webhook: delivery recovered");
    record({ type: "webhook.delivery.recovered", data });
  }

  return {
    start() {
      if (unsubscribe || stopped()) return;
      position = checkpoints.load(webhookCheckpointName);
      // Off the appender's call stack: the append returns before the consumer reads the log.
      unsubscribe = source.onCommit(() => queueMicrotask(kick));
      kick();
    },
    status() {
      const lastPosition = source.lastPosition();
      let state: WebhookStatus["state"] = "idle";
      if (stopped()) state = "stopped";
      else if (cancelRetry) state = "retrying";
      else if (running) state = "delivering";
      return {
        state,
        position,
        lastPosition,
        lag: Math.max(0, lastPosition - position),
        lastDeliveredAt,
        consecutiveFailures,
        failingSince,
        lastError,
        nextRetryAt,
      };
    },
    async stop() {
      stopController.abort();
      unsubscribe?.();
      cancelRetry?.();
      cancelRetry = null;
      nextRetryAt = null;
      await running;
    },
  };
}
