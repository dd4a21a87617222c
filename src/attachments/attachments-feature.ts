import { isAttachmentReferenced } from "../../projections/attachment-refs.js";
import type { ReadModelReader } from "../../projections/read-model-reader.js";
import type { EngineEnv } from "../engine-env.js";
import type { Logger } from "../logger.js";
import type { BlobStore } from "./blob-store.js";

/** How often uploads that no message named are looked for. */
const SWEEP_EVERY_MS = 60 * 60 * 1000;

export interface AttachmentsDeps {
  env: Pick<EngineEnv, "REPLICAS_ATTACHMENT_GRACE_MS">;
  log: { readModels: ReadModelReader };
  logger: Logger;
  store: BlobStore;
}

/**
 * The blob store's sweeper: removes uploads no event refers to once they are older than the
 * grace period (at start, then hourly). An EngineFeature by shape (its routes are served by
 * src/http/attachment-routes.ts, mounted before the JSON body limit).
 */
export function attachmentsFeature({ env, log, logger, store }: AttachmentsDeps) {
  let lastSweep: { at: string; removed: number } | null = null;
  let timer: NodeJS.Timeout | null = null;
  let sweeping: Promise<void> = Promise.resolve();
  const sweep = () => {
    sweeping = sweeping
      .then(async () => {
        const removed = await store.sweep(
          (id) => isAttachmentReferenced(log.readModels, id),
          env.REPLICAS_ATTACHMENT_GRACE_MS,
          Date.now(),
        );
        lastSweep = { at: new Date().toISOString(), removed: removed.length };
        if (removed.length > 0) logger.info({ removed }, "removed attachments no message named");
      })
      .catch((error: unknown) => logger.warn({ err: error }, "attachment sweep failed"));
  };
  return {
    name: "attachments",
    routes: [],
    status: () => ({ dir: store.dir, lastSweep }),
    start: () => {
      sweep();
      timer = setInterval(sweep, SWEEP_EVERY_MS);
      timer.unref();
    },
    stop: async () => {
      if (timer) clearInterval(timer);
      await sweeping;
    },
  };
}
