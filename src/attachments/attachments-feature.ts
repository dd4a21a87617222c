import type { EngineFeature, FeatureContext } from "../engine/engine-feature.js";
import { attachmentRoutes } from "./attachment-routes.js";
import type { BlobStore } from "./blob-store.js";

/** Uploads for messages: the blob store's routes. */
export function attachmentsFeature(_context: FeatureContext, store: BlobStore): EngineFeature {
  return {
    name: "attachments",
    routes: [],
    uploadRoutes: [attachmentRoutes(store)],
    status: () => ({ dir: store.dir }),
    start: () => undefined,
    stop: async () => undefined,
  };
}
