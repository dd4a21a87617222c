import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EngineClient } from "../../src/client/engine-client.js";
import { UI_CSP } from "../../src/http/ui-routes.js";
import { type Harness, startHarness, TEST_SECRET } from "../support/engine-harness.js";
import { freePort, spawnEngine } from "../support/engine-process.js";
import { waitUntil } from "../support/wait-until.js";
import { git, initRepo, writeFiles } from "../workspace/git-fixture.js";
import { launchChromium, openWatchedPage, type WatchedPage } from "./browser.js";
import { SEEDED_CHAT, seedChatWithEveryItem } from "./seed-chat.js";

let engine: Harness;
let browser: Browser;
let watched: WatchedPage | null = null;

let home: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "replicas-ui-"));
  const repo = await initRepo(join(home, "workspaces", "api"));
  await writeFiles(repo, { "README.md": "hello\n" });
  await git(repo, "add", ".");
  await git(repo, "commit", "-q", "-m", "first");
  await writeFiles(repo, { "README.md": "hello\nworld\n" });
  seedChatWithEveryItem(home, repo);
  [engine, browser] = await Promise.all([startHarness({ home }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await engine?.stop();
  rmSync(home, { recursive: true, force: true });
});

/** Every test ends with these: nothing refused, nothing thrown, the secret in no URL. */
afterEach(async () => {
  if (!watched) return;
  const { requests, problems, context } = watched;
  watched = null;
  await context.close();
  expect(problems).toEqual([]);
  for (const request of requests) {
    const sent = request.url.replace(/#.*$/, "");
    expect(sent).not.toContain(TEST_SECRET);
    const path = new URL(sent).pathname;
    if (path === "/ui" || path.startsWith("/ui/")) expect(request.secretHeader).toBeUndefined();
    else expect(request.secretHeader, `${path} sends the secret header`).toBe(TEST_SECRET);
  }
});

async function open(): Promise<WatchedPage> {
  watched = await openWatchedPage(browser);
  return watched;
}

/** Logs in through the fragment, the way the link `npm start` prints does. */
async function loggedIn(hash = ""): Promise<WatchedPage> {
  const w = await open();
  await w.page.goto(`${engine.url}/ui#secret=${TEST_SECRET}`);
  await w.page.getByRole("navigation", { name: "Views" }).waitFor();
  if (hash) await w.page.evaluate((h) => (location.hash = h), hash);
  return w;
}

const sidebar = (page: Page) => page.getByRole("complementary", { name: "Chats" });
const messageStates = (page: Page) =>
  page
    .locator("[data-message-state]")
    .evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-message-state")));

describe("the web inspector at /ui", () => {
  it("serves the page and its assets without the secret, under a strict CSP", async () => {
    for (const path of ["/ui", "/ui/", "/ui/app.js", "/ui/app.css", "/ui/icon.svg"]) {
      const response = await fetch(`${engine.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-security-policy")).toBe(UI_CSP);
    }
    expect(UI_CSP).toContain("script-src 'self'");
    expect(UI_CSP).toContain("style-src 'self'");
    expect(UI_CSP).not.toMatch(/unsafe|https?:|\*/);
    const missing = await fetch(`${engine.url}/ui/secret.txt`);
    expect(missing.status).toBe(404);
    // The API around it still wants the secret.
    expect((await fetch(`${engine.url}/chats`)).status).toBe(401);
  });

  it("logs in with the Secret field, calling the API only once it has the secret", async () => {
    const { page, requests, screenshot } = await open();
    await page.goto(`${engine.url}/ui`);
    await page.getByLabel("Secret").waitFor();
    await screenshot("login");
    expect(requests.map((r) => new URL(r.url).pathname).sort()).toEqual(
      ["/ui", "/ui/app.css", "/ui/app.js", "/ui/icon.svg"].sort(),
    );
    await page.getByLabel("Secret").fill(TEST_SECRET);
    await page.getByRole("button", { name: "Open" }).click();
    await page.getByRole("navigation", { name: "Views" }).waitFor();
    await page.getByText(/^live · position \d+/).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("replicas-engine-secret"))).toBe(
      TEST_SECRET,
    );
    expect(page.url()).toBe(`${engine.url}/ui`);
  });

  it("says when the engine refuses the secret, and keeps none", async () => {
    const w = await open();
    await w.page.goto(`${engine.url}/ui`);
    await w.page.getByLabel("Secret").fill("not-the-secret");
    await w.page.getByRole("button", { name: "Open" }).click();
    await w.page
      .getByRole("alert")
      .getByText("401 unauthorized: wrong X-Replicas-Engine-Secret")
      .waitFor();
    expect(await w.page.evaluate(() => sessionStorage.length)).toBe(0);
    // The refused call is the one console error expected; the shared check covers the rest.
    expect(w.problems).toEqual([expect.stringMatching(/status of 401/)]);
    w.problems.splice(0);
    expect(w.requests.filter((r) => !new URL(r.url).pathname.startsWith("/ui"))).toEqual([
      { url: `${engine.url}/status`, secretHeader: "not-the-secret" },
    ]);
    w.requests.splice(0);
  });

  it("takes the secret from the #secret= fragment and removes it from the address bar", async () => {
    const { page } = await loggedIn();
    expect(page.url()).toBe(`${engine.url}/ui`);
    expect(await page.evaluate(() => sessionStorage.getItem("replicas-engine-secret"))).toBe(
      TEST_SECRET,
    );
  });

  it("shows a chat created through the API without a reload, and deletes one", async () => {
    const { page, screenshot } = await loggedIn();
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    const { chat } = await engine.client.createChat({ provider: "codex", title: "From the API" });
    const item = sidebar(page).locator(`[data-chat-id="${chat.chatId}"]`);
    await item.getByText("From the API").waitFor();
    await item.getByText("codex").waitFor();
    expect(await page.evaluate(() => "sameDocument" in window)).toBe(true);
    await screenshot("chats");
    await item.getByRole("link").click();
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("button", { name: "Confirm delete" }).click();
    await item.waitFor({ state: "detached" });
    await expect(engine.client.getChat(chat.chatId)).rejects.toThrow(/chat_not_found/);
  });

  it("creates a chat from the page, sends messages and sees the answers stream in", async () => {
    const { page, screenshot } = await loggedIn("#/new-chat");
    const form = page.getByRole("form", { name: "New chat" });
    await form.getByLabel("Title").fill("Streaming");
    await form.getByLabel("Permission mode").selectOption("acceptEdits");
    await form.getByRole("button", { name: "Create chat" }).click();
    await page.getByRole("heading", { name: "Streaming" }).waitFor();
    const created = (await engine.client.allChats()).find((c) => c.title === "Streaming");
    expect(created?.settings).toEqual({ permissionMode: "acceptEdits" });

    const message = page.getByRole("textbox", { name: "Message" });
    await message.fill("reply **bold** answer");
    // Settings for this message only: the turn runs with them over the chat's.
    await page.getByText("Settings for this message").click();
    await page.getByRole("form", { name: "Composer" }).getByLabel("Model").fill("opus");
    await page.getByRole("button", { name: "Send" }).click();
    const history = page.getByRole("list", { name: "History" });
    await history.locator("[data-item-type=assistant_text] strong", { hasText: "bold" }).waitFor();
    await page.locator('[data-message-state="completed"]').waitFor();
    expect(engine.provider.requests.at(-1)?.settings).toEqual({
      permissionMode: "acceptEdits",
      model: "opus",
    });

    // 40 chunks, one every 50 ms: the text is seen growing while the turn runs.
    await message.fill("drip 40 50");
    await page.getByRole("button", { name: "Send" }).click();
    const streaming = history.locator("[data-item-type=assistant_text][data-status=streaming]");
    await streaming.waitFor();
    const firstSeen = (await streaming.textContent()) ?? "";
    await page.waitForFunction((seen) => {
      const node = document.querySelector("[data-item-type=assistant_text][data-status=streaming]");
      return (node?.textContent?.length ?? 0) > seen.length;
    }, firstSeen);
    expect(await messageStates(page)).toContain("started");
    await screenshot("chat-streaming");
    await page.waitForFunction(
      () => document.querySelectorAll('[data-message-state="completed"]').length === 2,
    );
    // The scripted agent sends no final item: once its turn has ended, the entry is final.
    expect(await streaming.count()).toBe(0);
    const done = history.locator("[data-item-type=assistant_text][data-status=final]").last();
    const text = (await done.textContent()) ?? "";
    expect(text.trim().split(/\s+/)).toHaveLength(40);
  });

  it("interrupts a running turn from the page; the message queued behind it runs next; a failure shows its error", async () => {
    const { chat } = await engine.client.createChat({ provider: "claude", title: "Long turn" });
    const { page, screenshot } = await loggedIn(`#/chats/${chat.chatId}`);
    const message = page.getByRole("textbox", { name: "Message" });
    await message.fill("sleep 60000");
    await page.getByRole("button", { name: "Send" }).click();
    const interrupt = page.getByRole("button", { name: "Interrupt" });
    await interrupt.waitFor();
    await message.fill("reply after the interrupt");
    await page.getByRole("button", { name: "Send" }).click();
    await page
      .getByRole("list", { name: "Queued messages" })
      .getByText("reply after the interrupt")
      .waitFor();
    expect(await messageStates(page)).toEqual(["started", "queued"]);
    await screenshot("chat-queued");
    await interrupt.click();
    await page.locator('[data-message-state="interrupted"]').waitFor();
    await page.getByText("after the interrupt", { exact: true }).waitFor();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-message-state="completed"]').length === 1,
    );
    expect(await messageStates(page)).toEqual(["interrupted", "completed"]);
    await interrupt.waitFor({ state: "detached" });
    expect(engine.provider.commands.some((c) => c.endsWith(":interrupt"))).toBe(true);

    await message.fill("fail the tool broke");
    await page.getByRole("button", { name: "Send" }).click();
    const failed = page.locator('[data-message-state="failed"]');
    await failed.getByText("failed: scripted_failure: the tool broke").waitFor();
    await sidebar(page)
      .locator(`[data-chat-id="${chat.chatId}"]`)
      .getByText("last error: scripted_failure: the tool broke")
      .waitFor();
  });

  it("shows an agent's pending request with Allow and Deny, and sends the answer", async () => {
    const { chat } = await engine.client.createChat({ provider: "claude", title: "Asks first" });
    const { page, screenshot } = await loggedIn(`#/chats/${chat.chatId}`);
    const message = page.getByRole("textbox", { name: "Message" });
    const pending = page.getByRole("region", { name: "Pending approvals" });

    await message.fill("ask make deploy");
    await page.getByRole("button", { name: "Send" }).click();
    await pending.getByText("make deploy").waitFor();
    await screenshot("chat-approval");
    await pending.getByRole("button", { name: "Allow" }).click();
    await page.getByText("ran make deploy", { exact: true }).waitFor();
    await pending.waitFor({ state: "detached" });

    await message.fill("ask rm -rf build");
    await page.getByRole("button", { name: "Send" }).click();
    await pending.getByText("rm -rf build").waitFor();
    await pending.getByRole("textbox", { name: "Message for the agent" }).fill("keep the build");
    await pending.getByRole("button", { name: "Deny" }).click();
    await page.getByText("skipped: keep the build", { exact: true }).waitFor();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-message-state="completed"]').length === 2,
    );
    // Two messages, each answered: the history holds the two answers the decisions led to.
    const { items } = await engine.client.history(chat.chatId);
    expect(items.map((entry) => entry.item.type)).toEqual([
      "user_message",
      "assistant_text",
      "user_message",
      "assistant_text",
    ]);
  });

  it("draws the history by item type: Markdown, reasoning collapsed, tools, commands, diffs, todos, plans, notices", async () => {
    const { page, screenshot } = await loggedIn(`#/chats/${SEEDED_CHAT}`);
    const history = page.getByRole("list", { name: "History" });
    const item = (type: string) => history.locator(`[data-item-type="${type}"]`);
    await item("assistant_text").locator("table td", { hasText: "/health" }).first().waitFor();
    expect(await item("assistant_text").locator("code").textContent()).toBe("GET /health");
    expect(await item("reasoning").getAttribute("open")).toBeNull();
    await item("reasoning").getByText("Reasoning").click();
    await item("reasoning").getByText("look at the router first").waitFor();
    await item("tool_call").getByText("Read").waitFor();
    await item("tool_call").getByText("Read").click();
    await item("tool_call").getByText('"file_path": "src/app.ts"').waitFor();
    await item("command").getByText("$ npm test").waitFor();
    await item("command").getByText("1 passed, 0 failed").waitFor();
    await item("todo_list").getByText("Add GET /health").waitFor();
    await item("plan").getByRole("heading", { name: "Plan" }).waitFor();
    await item("notice").getByText("warning: rate limited, retrying in 2 s").waitFor();
    await item("file_change").getByText("~ README.md").waitFor();
    await item("file_change").getByRole("button", { name: "Show diffs" }).click();
    await item("file_change").getByText("+world").waitFor();
    expect(await messageStates(page)).toEqual(["completed"]);
    await screenshot("chat-items");
  });

  it("shows the event log live, filtered, with JSON on demand and earlier pages", async () => {
    const { chat } = await engine.client.createChat({ provider: "claude", title: "Busy" });
    await engine.client.sendMessage(chat.chatId, { text: "stream 600" });
    const { page, screenshot } = await loggedIn("#/events");
    const log = page.getByRole("list", { name: "Event log" });
    await log.locator("[data-event-type]").first().waitFor();
    const loaded = async () =>
      Number(
        (await page.getByText(/shown of \d+ loaded/).textContent())?.match(/of (\d+) loaded/)?.[1],
      );
    const before = await loaded();
    await page.getByRole("button", { name: "Load earlier" }).click();
    await page.waitForFunction(
      (n) =>
        Number(
          document.querySelector(".filters .muted")?.textContent?.match(/of (\d+) loaded/)?.[1],
        ) > n,
      before,
    );
    // A live event arrives without a reload.
    const { chat: live } = await engine.client.createChat({
      provider: "claude",
      title: "Live one",
    });
    await log.locator('[data-event-type="chat.created"]').last().waitFor();
    await page.getByLabel("Filter by chat").selectOption(live.chatId);
    await page.getByLabel("Filter by type").fill("chat.created");
    await log.locator("[data-event-type]").first().waitFor();
    expect(
      await log
        .locator("[data-event-type]")
        .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-event-type"))),
    ).toEqual(["chat.created"]);
    await log.getByRole("button", { name: "Show JSON" }).click();
    await log.getByText(`"chatId": "${live.chatId}"`).waitFor();
    await screenshot("events");
  });

  it("shows the live actors and the workspace", async () => {
    const { chat } = await engine.client.createChat({ provider: "claude", title: "Watched" });
    const { page, screenshot } = await loggedIn("#/actors");
    const row = page.locator(`[data-actor="${chat.chatId}"]`);
    // A chat's actor lives while the chat is at work: from its next command until it rests.
    await engine.client.sendMessage(chat.chatId, { text: "sleep 60000" });
    await row.locator(".actor-state", { hasText: "running" }).waitFor();
    await row.getByRole("button", { name: "Show context" }).click();
    await row.getByText(`"chatId": "${chat.chatId}"`).waitFor();
    await screenshot("actors");
    await engine.client.interrupt(chat.chatId);
    await row.waitFor({ state: "detached" });

    await page.getByRole("link", { name: "Workspace" }).click();
    const repos = page.getByRole("region", { name: "Repos" });
    await repos.locator('[data-repo="api"]').getByText("main").waitFor();
    await repos.getByRole("button", { name: "Show diffs" }).click();
    await repos.getByText("+world").waitFor();
    await page
      .getByRole("region", { name: "Engine" })
      .getByText(/^version /)
      .waitFor();
    const hooks = page.getByRole("region", { name: "Start hooks" });
    await hooks.locator("p", { hasText: /never_run|completed/ }).waitFor();
    // The hooks' output: the end of startHooks.log, served by GET /hooks/log.
    writeFileSync(join(home, ".replicas", "startHooks.log"), "[api] greet: hello from a hook\n");
    await page.getByRole("link", { name: "Chats" }).click();
    await page.getByRole("link", { name: "Workspace" }).click();
    await hooks.getByText("Output").click();
    await hooks.getByText("[api] greet: hello from a hook").waitFor();
    await page.getByRole("region", { name: "Credential refresh" }).getByText("github").waitFor();
    await screenshot("workspace");
  });

  it("opens from the link the engine prints for a generated secret, which names the secret only through the shell", async () => {
    const home = mkdtempSync(join(tmpdir(), "replicas-ui-link-"));
    const spawned = await spawnEngine(home, await freePort(), {
      env: { REPLICAS_ENGINE_SECRET: undefined },
    });
    try {
      const line = await waitUntil(
        () => /^ {2}(echo "\S+\/ui#secret=\$\(cat \S+\)")$/m.exec(spawned.output())?.[1],
        "the engine prints the inspector's link",
      );
      const secret = readFileSync(join(home, ".replicas", "engine", "secret"), "utf8").trim();
      expect(spawned.output()).not.toContain(secret);
      const link = (await execa("bash", ["-c", line])).stdout;
      expect(link).toBe(`${spawned.url}/ui#secret=${secret}`);
      const { page } = await open();
      await page.goto(link);
      await page.getByRole("navigation", { name: "Views" }).waitFor();
      await page.getByText(/^live · position \d+/).waitFor();
      expect(page.url()).toBe(`${spawned.url}/ui`);
      for (const request of watched?.requests ?? []) {
        expect(request.url.replace(/#.*$/, "")).not.toContain(secret);
        if (!new URL(request.url).pathname.startsWith("/ui"))
          expect(request.secretHeader).toBe(secret);
      }
      // The shared checks hold the test secret; this engine has its own.
      watched?.requests.splice(0);
    } finally {
      spawned.child.kill("SIGTERM");
      await spawned.child;
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("resumes the live stream without a gap when the engine restarts under it", async () => {
    const restartHome = mkdtempSync(join(tmpdir(), "replicas-ui-restart-"));
    const port = await freePort();
    let spawned = await spawnEngine(restartHome, port);
    try {
      const first = await new EngineClient({
        baseUrl: spawned.url,
        secret: TEST_SECRET,
      }).createChat({
        provider: "claude",
        title: "Before the restart",
      });
      const w = await open();
      await w.page.goto(`${spawned.url}/ui#secret=${TEST_SECRET}`);
      await w.page.getByRole("navigation", { name: "Views" }).waitFor();
      await w.page.evaluate(() => (location.hash = "#/events"));
      const log = w.page.getByRole("list", { name: "Event log" });
      await log.locator('[data-event-type="chat.created"]').waitFor();

      spawned.child.kill("SIGTERM");
      await spawned.child;
      await w.page.getByText(/^reconnecting/).waitFor();
      spawned = await spawnEngine(restartHome, port);
      const client = new EngineClient({ baseUrl: spawned.url, secret: TEST_SECRET });
      await client.createChat({ provider: "claude", title: "After the restart" });
      await w.page.getByText(/^live · /).waitFor();
      await log.locator('[data-event-type="chat.created"]').nth(1).waitFor();
      const head = (await client.status()).position;
      await log.locator(`[data-position="${head}"]`).waitFor();
      const positions = await log
        .locator("[data-position]")
        .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-position"))));
      // Every position from the log's start to its head, once: nothing lost across the restart.
      expect(positions).toEqual(Array.from({ length: head }, (_, i) => i + 1));
      const types = await log
        .locator("[data-event-type]")
        .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-event-type")));
      expect(types).toContain("engine.stopped");
      expect(types.filter((t) => t === "engine.started")).toHaveLength(2);
      expect(first.chat.title).toBe("Before the restart");
      // While the engine was down, the reconnect attempts were refused: the only errors allowed.
      w.problems.splice(
        0,
        w.problems.length,
        ...w.problems.filter((p) => !/ERR_CONNECTION_REFUSED|ERR_EMPTY_RESPONSE/.test(p)),
      );
      await w.screenshot("events-after-restart");
    } finally {
      spawned.child.kill("SIGTERM");
      await spawned.child;
      rmSync(restartHome, { recursive: true, force: true });
    }
  });
});
