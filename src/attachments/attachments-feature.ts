import type { EngineFeature, FeatureContext } from "../engine/engine-feature.js";
import { attachmentRoutes } from "./attachment-routes.js";
import { BlobStore } from "./blob-store.js";

/** Uploads for messages: the blob store beside the database and its routes. */
export function attachmentsFeature({ paths }: FeatureContext): EngineFeature {
  const store = new BlobStore(paths.blobs);
  return {
    name: "attachments",
    routes: [],
    uploadRoutes: [attachmentRoutes(store)],
    status: () => ({ dir: paths.blobs }),
    start: () => undefined,
    stop: async () => undefined,
  };
}
