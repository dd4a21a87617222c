import { setTimeout as sleep } from "node:timers/promises";
import type { Page } from "playwright-core";
import { TEST_SECRET } from "../test/support/engine-harness.js";
import { launchChromium } from "../test/ui/browser.js";
import type { BenchRow } from "./bench-row.js";
import { startEngineChild } from "./engine-child.js";
import { percentile } from "./stats.js";

const HISTORY_ITEMS = 10_000;
const RATE = { chats: 10, perMessage: 200, everyMs: 100, seconds: 5 };

/** In the page: records every animation frame's interval until told to stop. */
const startFrames = `(() => {
  const w = window;
  w.benchFrames = [];
  let last = performance.now();
  const tick = (now) => {
    w.benchFrames.push(now - last);
    last = now;
    if (!w.benchStop) requestAnimationFrame(tick);
  };
  w.benchStop = false;
  requestAnimationFrame(tick);
})()`;
const stopFrames = "(() => { window.benchStop = true; return window.benchFrames; })()";

async function frames(page: Page, during: () => Promise<void>) {
  await page.evaluate(startFrames);
  await during();
  const intervals = (await page.evaluate(stopFrames)) as number[];
  return {
    p50: percentile(intervals, 0.5),
    p95: percentile(intervals, 0.95),
    max: Math.max(...intervals),
    count: intervals.length,
  };
}

async function waitForCompleted(
  client: Awaited<ReturnType<typeof startEngineChild>>["client"],
  chatId: string,
  turns: number,
) {
  while ((await client.getChat(chatId)).chat.counters.completed < turns) await sleep(50);
}

/**
 * The page under load, in headless Chromium against an engine child: a chat of 10,000 items
 * (open, scroll through), then 1,000 events/s from 10 chats arriving while the chat view and
 * the events view are open. Frame intervals come from requestAnimationFrame in the page.
 */
export async function benchUiPage(): Promise<BenchRow[]> {
  const engine = await startEngineChild("ui");
  const browser = await launchChromium();
  try {
    const { chat } = await engine.client.createChat({ provider: "claude", title: "Long" });
    await engine.client.sendMessage(chat.chatId, { text: `stream ${HISTORY_ITEMS}` });
    await waitForCompleted(engine.client, chat.chatId, 1);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${engine.url}/ui#secret=${TEST_SECRET}`);
    await page.getByRole("navigation", { name: "Views" }).waitFor();

    const openStarted = performance.now();
    await page.evaluate(`location.hash = "#/chats/${chat.chatId}"`);
    const history = page.getByRole("list", { name: "History" });
    await history.locator("li").last().waitFor();
    const openMs = performance.now() - openStarted;
    const rendered = await history.locator("li").count();
    const domNodes = (await page.evaluate("document.getElementsByTagName('*').length")) as number;

    const scroll = await frames(page, async () => {
      await page.evaluate(`new Promise((done) => {
        const list = document.querySelector(".virtual-list");
        let steps = 0;
        const step = () => {
          list.scrollTop = Math.max(0, list.scrollTop - 3000);
          if (++steps < 150 && list.scrollTop > 0) requestAnimationFrame(step); else done();
        };
        requestAnimationFrame(step);
      })`);
    });

    const chats = [chat.chatId];
    for (let i = 1; i < RATE.chats; i++)
      chats.push((await engine.client.createChat({ provider: "claude" })).chat.chatId);
    const load = async () => {
      const from = (await engine.client.status()).position;
      const started = performance.now();
      const sends = [];
      for (let tick = 0; tick < (RATE.seconds * 1000) / RATE.everyMs; tick++) {
        const chatId = chats[tick % chats.length] ?? chat.chatId;
        sends.push(engine.client.sendMessage(chatId, { text: `stream ${RATE.perMessage}` }));
        await sleep(RATE.everyMs);
      }
      await Promise.all(sends);
      const to = (await engine.client.status()).position;
      return { rate: (to - from) / ((performance.now() - started) / 1000), to };
    };
    const caughtUp = async (to: number) => {
      const started = performance.now();
      // A string predicate would be evaluated with eval, which the page's CSP refuses.
      const shown = () =>
        page.evaluate(
          `Number(document.querySelector(".live")?.textContent?.match(/position (\\d+)/)?.[1])`,
        ) as Promise<number>;
      while ((await shown()) < to) await sleep(20);
      return performance.now() - started;
    };

    await page.evaluate(
      `window.scrollTo(0, 0); document.querySelector(".virtual-list").scrollTop = 1e9`,
    );
    let chatLoad = { rate: 0, to: 0 };
    const chatFrames = await frames(page, async () => {
      chatLoad = await load();
    });
    const chatLag = await caughtUp(chatLoad.to);

    await page.evaluate(`location.hash = "#/events"`);
    await page.getByRole("list", { name: "Event log" }).locator("li").first().waitFor();
    let eventsLoad = { rate: 0, to: 0 };
    const eventsFrames = await frames(page, async () => {
      eventsLoad = await load();
    });
    const eventsLag = await caughtUp(eventsLoad.to);
    const note = (f: { p95: number; max: number; count: number }) =>
      `p95 ${f.p95.toFixed(1)} ms, max ${f.max.toFixed(0)} ms, ${f.count} frames`;
    return [
      {
        name: "ui.chat_10k.open",
        value: openMs,
        unit: "ms",
        note: `${rendered} of ${HISTORY_ITEMS} items in the DOM, ${domNodes} elements`,
      },
      {
        name: "ui.chat_10k.scroll.frame_p50",
        value: scroll.p50,
        unit: "ms",
        goal: "~16.7 (60 fps)",
        note: note(scroll),
      },
      {
        name: "ui.live.chat_view.frame_p50",
        value: chatFrames.p50,
        unit: "ms",
        note: `${chatLoad.rate.toFixed(0)} events/s; ${note(chatFrames)}`,
      },
      {
        name: "ui.live.chat_view.caught_up",
        value: chatLag,
        unit: "ms",
        note: "after the load, until the page shows the head (500 ms polling)",
      },
      {
        name: "ui.live.events_view.frame_p50",
        value: eventsFrames.p50,
        unit: "ms",
        note: `${eventsLoad.rate.toFixed(0)} events/s; ${note(eventsFrames)}`,
      },
      {
        name: "ui.live.events_view.caught_up",
        value: eventsLag,
        unit: "ms",
        note: "after the load, until the page shows the head (500 ms polling)",
      },
    ];
  } finally {
    await browser.close();
    await engine.stop();
  }
}
