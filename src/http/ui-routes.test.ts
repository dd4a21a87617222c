import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "./api-error.js";
import { UI_CSP, uiRoutes } from "./ui-routes.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function appOver(dir: string) {
  return new Hono()
    .route("/", uiRoutes(dir))
    .onError((error, c) =>
      error instanceof ApiError ? c.json(error.body(), error.status) : c.text("boom", 500),
    );
}

describe("uiRoutes", () => {
  it("serves the built files by name, each under the CSP, and nothing else", async () => {
    const dir = mkdtempSync(join(tmpdir(), "replicas-ui-dist-"));
    dirs.push(dir);
    writeFileSync(join(dir, "index.html"), "<!doctype html>");
    writeFileSync(join(dir, "app.js"), "export {}");
    writeFileSync(join(dir, "notes.txt"), "not an asset");
    const app = appOver(dir);
    const page = await app.request("/ui");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toBe(UI_CSP);
    expect(await page.text()).toBe("<!doctype html>");
    expect((await app.request("/ui/app.js")).headers.get("content-type")).toBe(
      "text/javascript; charset=utf-8",
    );
    const other = await app.request("/ui/notes.txt");
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ error: { code: "not_found" } });
    // A dotted path never reaches a file: URLs resolve it first, and no asset name has a slash.
    for (const path of ["/ui/../package.json", "/ui/%2e%2e/package.json", "/ui/x/app.js"])
      expect((await app.request(path)).status, path).toBe(404);
  });

  it("says the page is not built, then serves it once the build has written it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "replicas-ui-dist-"));
    dirs.push(dir);
    const app = appOver(dir);
    const missing = await app.request("/ui/");
    expect(missing.status).toBe(503);
    expect(await missing.json()).toEqual({
      error: { code: "ui_not_built", message: "the web inspector is not built: run npm run build" },
    });
    writeFileSync(join(dir, "index.html"), "built");
    expect(await (await app.request("/ui/")).text()).toBe("built");
  });
});
