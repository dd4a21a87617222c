import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { uiDistDir } from "../src/ui/ui-dist-dir.js";
import type { BenchRow } from "./bench-row.js";

/** The web inspector's files as the engine serves them (built by `npm run bench`'s build). */
export async function benchUiBundle(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  let total = 0;
  let totalGzip = 0;
  for (const name of readdirSync(uiDistDir).sort()) {
    const bytes = readFileSync(join(uiDistDir, name));
    const gzip = gzipSync(bytes).length;
    total += bytes.length;
    totalGzip += gzip;
    rows.push({
      name: `ui.bundle.${name}`,
      value: bytes.length,
      unit: "bytes",
      note: `${gzip} gzip`,
    });
  }
  rows.push({
    name: "ui.bundle.total",
    value: total,
    unit: "bytes",
    goal: "< 150 KB, < 50 KB gzip",
    note: `${totalGzip} gzip`,
  });
  return rows;
}
