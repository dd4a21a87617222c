import * as v from "valibot";
import { defineEvent } from "./define-event.js";

/**
 * Webhook delivery started failing. Recorded once per outage (the first failure after a
 * success, or after a start), never per retry: these events are themselves delivered by the
 * webhook, so one per retry would feed the log while the control plane is down.
 */
export const webhookDeliveryFailed = defineEvent(
  "webhook.delivery.failed",
  v.object({
    /** HTTP status of the answer, null for network errors and timeouts. */
    status: v.nullable(v.number()),
    error: v.string(),
    /** The batch that could not be delivered, as log positions. */
    fromPosition: v.number(),
    toPosition: v.number(),
    nextRetryAt: v.string(),
  }),
);

/** Delivery works again after a failure: how long it was down and how many attempts failed. */
export const webhookDeliveryRecovered = defineEvent(
  "webhook.delivery.recovered",
  v.object({
    failedAttempts: v.number(),
    failingSince: v.string(),
    /** Last position delivered by the batch that succeeded. */
    position: v.number(),
  }),
);

export const webhookEvents = [webhookDeliveryFailed, webhookDeliveryRecovered] as const;
