import { chmod, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { packageRoot } from "../package-root.js";

/** Where the build puts the bundled command (package.json's `bin` and the tests run it). */
export const cliBundleDir = join(packageRoot, "dist", "bin");

/** Where esbuild breaks a chunk's lines (at its next chance past it). */
export const BUNDLE_LINE_LIMIT = 160;

/**
 * The bundle's files are ES modules, and some of the packages bundled into them are CommonJS:
 * those call `require` (node builtins) and read `__filename`, which an ES module lacks.
 */
const commonJsGlobals = [
  'import { createRequire as __bundleRequire } from "node:module";',
  'import { fileURLToPath as __bundlePath } from "node:url";',
  "const require = __bundleRequire(import.meta.url);",
  "const __filename = __bundlePath(import.meta.url);",
].join("\n");

/**
 * Bundles `replicas-engine` (src/cli/bin.ts and everything it imports) into dist/bin, so a boot
 * reads a few files instead of resolving and compiling some 400 modules. Dynamic imports stay
 * separate chunks, loaded when first needed. better-sqlite3 stays outside: it loads its native
 * addon from its own folder. Source maps beside the chunks keep stack traces on the sources.
 */
export async function bundleCli(outdir = cliBundleDir) {
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: { "replicas-engine": join(packageRoot, "src", "cli", "bin.ts") },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outdir,
    external: ["better-sqlite3"],
    banner: { js: commonJsGlobals },
    sourcemap: true,
    // Only the mappings: stack traces need no sources (src/cli/source-mapped-stacks.ts reads a
    // chunk's map when a trace first names it).
    sourcesContent: false,
    // The engine holds its code's text in memory (some 3 MB less RSS than unminified); names
    // are kept, and the source maps give stack traces their files and lines.
    minifyWhitespace: true,
    // An uncaught exception prints the generated line it was thrown from before the (mapped)
    // stack: without a limit, a minified line holds up to 80 KB of a chunk.
    lineLimit: BUNDLE_LINE_LIMIT,
    minifySyntax: true,
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
  });
  // What `npx replicas-engine` runs; a fresh `npm ci` must find it executable. The unbundled
  // command stays runnable too: npx's cache keeps a bin link to the old path (dist/src/cli/main.js)
  // across an upgrade, and it must still start the engine, if slower.
  await chmod(join(outdir, "replicas-engine.js"), 0o755);
  await chmod(fileURLToPath(new URL("./main.js", import.meta.url)), 0o755);
  return result.metafile;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await bundleCli();
