import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Hono } from "hono";
import { uiDistDir } from "../ui/ui-dist-dir.js";
import { ApiError } from "./api-error.js";

/**
 * The page allows only its own files: no inline script or style, no other origin. Styles set
 * through the DOM (a virtual list's offsets) are CSSOM, which style-src does not govern.
 */
export const UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Every file under /ui/, by name; nothing else is ever read. */
const assets: Record<string, string> = {
  "index.html": "text/html; charset=utf-8",
  "app.js": "text/javascript; charset=utf-8",
  "app.css": "text/css; charset=utf-8",
  "icon.svg": "image/svg+xml",
};

/**
 * GET /ui and /ui/*: the web inspector's page and assets, public like /health. The page holds
 * no data: it asks for the secret and sends it in a header on every API call.
 */
export function uiRoutes(dir = uiDistDir) {
  const files = new Map<string, Promise<Buffer>>();
  const read = (name: string) => {
    let file = files.get(name);
    if (!file) {
      file = readFile(join(dir, name));
      files.set(name, file);
      // A build that was missing may appear later: only a successful read is kept.
      file.catch(() => files.delete(name));
    }
    return file;
  };
  return new Hono().get("/ui/*", async (c) => {
    const name = c.req.path === "/ui" || c.req.path === "/ui/" ? "index.html" : c.req.path.slice(4);
    const type = assets[name];
    if (!type) throw new ApiError(404, "not_found", `no file ${c.req.path} in the web inspector`);
    const body = await read(name).catch(() => {
      throw new ApiError(503, "ui_not_built", "the web inspector is not built: run npm run build");
    });
    return c.body(new Uint8Array(body), 200, {
      "content-type": type,
      "cache-control": "no-cache",
      "content-security-policy": UI_CSP,
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    });
  });
}
