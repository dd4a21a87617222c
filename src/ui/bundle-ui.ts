import { copyFile, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { packageRoot } from "../package-root.js";
import { uiDistDir } from "./ui-dist-dir.js";

const pageDir = join(packageRoot, "src", "ui", "page");

/** Files copied as they are, beside the bundle. */
const staticFiles = ["index.html", "icon.svg"];

/**
 * Bundles the web inspector's page (Preact, marked and the engine's own client) into
 * dist/ui: app.js, app.css and the static files. Runs at build time only: the engine serves
 * the files and needs neither esbuild nor Preact at run time.
 */
export async function bundleUi(outdir = uiDistDir) {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const result = await build({
    entryPoints: { app: join(pageDir, "main.tsx") },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "chrome120",
    outdir,
    jsx: "automatic",
    jsxImportSource: "preact",
    tsconfig: join(pageDir, "tsconfig.json"),
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
  });
  for (const file of staticFiles) await copyFile(join(pageDir, file), join(outdir, file));
  return result.metafile;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await bundleUi();
