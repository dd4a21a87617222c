import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { packageRoot } from "../../src/package-root.js";

/** Screenshots the browser tests leave behind (gitignored). */
export const artifactsDir = join(packageRoot, ".artifacts", "ui");

/** Debian's chromium, driven by playwright-core (which downloads no browser of its own). */
export function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(executablePath))
    throw new Error(
      `no chromium at ${executablePath}: run npm test (it installs Debian's package as root), or apt-get install chromium, or set CHROMIUM_PATH`,
    );
  return chromium.launch({ executablePath });
}

export interface Request {
  url: string;
  secretHeader: string | undefined;
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Every request the page made, in order. */
  requests: Request[];
  /** Console errors, uncaught exceptions and CSP violations. */
  problems: string[];
  screenshot(name: string): Promise<void>;
}

/**
 * A fresh browser context whose every request, console error and CSP violation is recorded;
 * a test checks them when it ends.
 */
export async function openWatchedPage(browser: Browser): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const requests: Request[] = [];
  const problems: string[] = [];
  page.on("request", (request) =>
    requests.push({
      url: request.url(),
      secretHeader: request.headers()["x-replicas-engine-secret"],
    }),
  );
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  // Chromium also logs a violation to the console; this names the directive for sure.
  await page.addInitScript({
    content: `document.addEventListener("securitypolicyviolation", (event) =>
      console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI));`,
  });
  mkdirSync(artifactsDir, { recursive: true });
  return {
    context,
    page,
    requests,
    problems,
    screenshot: async (name) => {
      await page.screenshot({ path: join(artifactsDir, `${name}.png`) });
    },
  };
}
