import { access } from "node:fs/promises";

/**
 * Whether the readiness file (cloud-init's output log by default) exists. Once it has appeared
 * the answer stays true without touching the disk again; a missing file is checked each call.
 */
export function createReadinessCheck(readinessFile: string): () => Promise<boolean> {
  let ready = false;
  return async () => {
    if (ready) return true;
    ready = await access(readinessFile).then(
      () => true,
      () => false,
    );
    return ready;
  };
}
