import { createHash } from "node:crypto";
import { type FileHandle, readdir } from "node:fs/promises";
import type { PlanFile } from "../../events/plan-events.js";
import { openPlanFile } from "./open-plan-file.js";
import { checkPlanFilename } from "./plan-filename.js";
import { PLAN_SOURCES, type PlanFolders } from "./plan-folders.js";
import { resolvePlanFile } from "./resolve-plan-file.js";

/**
 * GET /plans: the markdown plans of both folders, newest first. Only files that GET
 * /plans/:filename would serve are listed (valid names, regular files, no symlink out). A
 * missing folder has no plans.
 */
export async function listPlans(folders: PlanFolders): Promise<PlanFile[]> {
  const perFolder = await Promise.all(
    PLAN_SOURCES.map(async (source) => {
      const names = await readdir(folders[source]).catch(() => []);
      const plans = await Promise.all(
        names
          .filter((name) => checkPlanFilename(name).ok)
          .map(async (name): Promise<PlanFile | null> => {
            const file = await resolvePlanFile(folders[source], name);
            if (!file) return null;
            const opened = await openPlanFile(file.path);
            if (!opened) return null;
            const sha256 = await hashFile(opened.handle).catch(() => null);
            if (sha256 === null) return null;
            return { name, source, size: opened.size, mtime: opened.mtime.toISOString(), sha256 };
          }),
      );
      return plans.filter((plan) => plan !== null);
    }),
  );
  return perFolder
    .flat()
    .sort(
      (a, b) =>
        b.mtime.localeCompare(a.mtime) ||
        a.source.localeCompare(b.source) ||
        a.name.localeCompare(b.name),
    );
}

/** Hashes the opened file and closes it. */
async function hashFile(handle: FileHandle): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of handle.createReadStream()) hash.update(chunk);
  return hash.digest("hex");
}
