import type { PlanSource } from "../../events/plan-events.js";
import { openPlanFile, readAtMost } from "./open-plan-file.js";
import { checkPlanFilename } from "./plan-filename.js";
import { PLAN_SOURCES, type PlanFolders } from "./plan-folders.js";
import { resolvePlanFile } from "./resolve-plan-file.js";

export interface PlanContent {
  name: string;
  source: PlanSource;
  size: number;
  mtime: string;
  content: string;
}

/** invalid_filename → 400, not_found → 404, too_large → 413. */
export type PlanReadError = {
  code: "invalid_filename" | "not_found" | "too_large";
  message: string;
};

export type PlanRead = { ok: true; plan: PlanContent } | { ok: false; error: PlanReadError };

export interface ReadPlanOptions {
  /** Only look in this folder; otherwise the first folder holding the name wins. */
  source?: PlanSource;
  maxBytes?: number;
}

/** GET /plans/:filename. Nothing outside the plans folders is ever opened. */
export async function readPlan(
  folders: PlanFolders,
  name: string,
  options: ReadPlanOptions = {},
): Promise<PlanRead> {
  const checked = checkPlanFilename(name);
  if (!checked.ok)
    return { ok: false, error: { code: "invalid_filename", message: checked.message } };
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  for (const source of options.source ? [options.source] : PLAN_SOURCES) {
    const file = await resolvePlanFile(folders[source], name);
    if (!file) continue;
    const opened = await openPlanFile(file.path);
    if (!opened) continue;
    try {
      const content = opened.size > maxBytes ? null : await readAtMost(opened.handle, maxBytes);
      if (content === null) {
        return {
          ok: false,
          error: { code: "too_large", message: `plan is larger than ${maxBytes} bytes` },
        };
      }
      return {
        ok: true,
        plan: {
          name,
          source,
          size: content.length,
          mtime: opened.mtime.toISOString(),
          content: content.toString("utf8"),
        },
      };
    } finally {
      await opened.handle.close();
    }
  }
  return {
    ok: false,
    error: { code: "not_found", message: `no plan named ${JSON.stringify(name)}` },
  };
}
