import { readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { isAbsolute } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * Stack traces on the sources: each frame in a file with a source map beside it (`<file>.map`,
 * as esbuild and tsc write them) names the original file, line and column. A file's map is
 * read and parsed when a stack trace first names the file, then kept. Node's own source maps
 * (`process.setSourceMapsEnabled`) read and parse every module's map as the module loads: some
 * 15-25 ms of a boot's CPU and half a megabyte of heap, for stack traces that a healthy engine
 * rarely formats. A frame without a map keeps V8's text.
 */
export function mapStacksOnDemand(): void {
  const maps = new Map<string, { map: SourceMap; url: URL } | null>();
  const mapOf = (path: string) => {
    if (!maps.has(path)) {
      try {
        const url = pathToFileURL(`${path}.map`);
        maps.set(path, { map: new SourceMap(JSON.parse(readFileSync(url, "utf8"))), url });
      } catch {
        maps.set(path, null);
      }
    }
    return maps.get(path) ?? null;
  };
  const mapFrame = (frame: NodeJS.CallSite): string => {
    const text = String(frame);
    const file = frame.getFileName();
    const line = frame.getLineNumber();
    const column = frame.getColumnNumber();
    if (!file || line === null || column === null) return text;
    const path = file.startsWith("file://") ? fileURLToPath(file) : file;
    const found = isAbsolute(path) ? mapOf(path) : null;
    const entry = found?.map.findEntry(line - 1, column - 1);
    if (!found || !entry || !("originalSource" in entry)) return text;
    const source = fileURLToPath(new URL(entry.originalSource, found.url));
    return text.replace(
      `${file}:${line}:${column}`,
      `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`,
    );
  };
  Error.prepareStackTrace = (error: unknown, frames: NodeJS.CallSite[]) => {
    let header: string;
    try {
      header = Error.prototype.toString.call(error);
    } catch {
      header = "Error";
    }
    return [header, ...frames.map((frame) => `    at ${mapFrame(frame)}`)].join("\n");
  };
}
