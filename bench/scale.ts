import { cliPath } from "../test/support/cli.js";
import { TEST_SECRET } from "../test/support/engine-harness.js";
import { freePort, spawnEngine } from "../test/support/engine-process.js";
import type { BenchRow } from "./bench-row.js";
import { engineStarter } from "./boot.js";
import { type ChatLog, writeChatLog } from "./chat-log.js";
import { medianBoots } from "./daemon-boot.js";
import { millionEventLog } from "./million-event-log.js";
import { interleavedMedians } from "./stats.js";

/** One big chat of `items` history items in an engine with `chats` chats (the others: one turn each). */
const SCALES = [
  { label: "1k", items: 1_000, chats: 10 },
  { label: "10k", items: 10_000, chats: 100 },
  { label: "100k", items: 100_000, chats: 1_000 },
] as const;
type Label = (typeof SCALES)[number]["label"];

const BOOTS = 3;
const ROUNDS = 5;
const REQUESTS = 20;
const MB = 1024 * 1024;

/** The routes a control plane reads, with what a right answer holds. */
const ROUTES = {
  get_chat: {
    path: "/chats/c0",
    check: (body: { chat?: { chatId: string } }) => body.chat?.chatId === "c0",
  },
  history_limit100: {
    path: "/chats/c0/history?limit=100",
    check: (body: { items?: unknown[] }) => body.items?.length === 100,
  },
  // The list is paged (docs/api.md): a control plane reads a page, never every chat at once.
  // Ten chats, a full page at every scale, so the ratio shows what the number of chats costs.
  list_chats: {
    path: "/chats?limit=10",
    check: (body: { chats?: unknown[]; next?: number | null }, chats: number) =>
      body.chats?.length === 10 && (body.next === null) === chats <= 10,
  },
} as const;
type Route = keyof typeof ROUTES;

/**
 * How the engine's reads and boot grow with one VM's data: a chat of 1k, 10k and 100k history
 * items in an engine of 10, 100 and 1,000 chats (the two scales grow together), each log
 * written like the engine writes it. Requests run one after another on keep-alive connections
 * against the real `replicas-engine serve`, the three engines interleaved; ratio = the figure
 * over the same figure at the smallest scale. Also: database bytes per million events.
 */
export async function benchScale(): Promise<BenchRow[]> {
  const logs = SCALES.map((s) =>
    writeChatLog(`scale-${s.label}`, [
      s.items / 2,
      ...Array.from({ length: s.chats - 1 }, () => 1),
    ]),
  );
  const million = millionEventLog();
  const boots = await medianBoots(
    BOOTS,
    Object.fromEntries(
      SCALES.map((s, i) => [s.label, engineStarter(logs[i]?.home ?? "")]),
    ) as Record<Label, ReturnType<typeof engineStarter>>,
  );
  const engines = await Promise.all(
    logs.map(async (log) => spawnEngine(log.home, await freePort(), { args: [cliPath, "serve"] })),
  );
  let latencies: Record<string, number>;
  try {
    const measures: Record<string, () => Promise<number>> = {};
    for (const [i, scale] of SCALES.entries()) {
      const url = engines[i]?.url ?? "";
      for (const [route, { path, check }] of Object.entries(ROUTES) as [
        Route,
        (typeof ROUTES)[Route],
      ][]) {
        const body = await get(`${url}${path}`);
        if (!(check as (b: unknown, chats: number) => boolean)(JSON.parse(body), scale.chats)) {
          throw new Error(
            `GET ${path} at ${scale.label} answered an unexpected body: ${body.slice(0, 200)}`,
          );
        }
        measures[`${route}.${scale.label}`] = () => meanMs(`${url}${path}`);
      }
    }
    latencies = await interleavedMedians(ROUNDS, measures);
  } finally {
    for (const engine of engines) {
      engine.child.kill("SIGTERM");
      await engine.child;
    }
  }
  const grow = (
    name: string,
    unit: string,
    value: (label: Label, log: ChatLog) => number,
    note: string,
    goal?: string,
  ) =>
    SCALES.map((s, i): BenchRow => {
      const log = logs[i] as ChatLog;
      const base = value("1k", logs[0] as ChatLog);
      return {
        name: `scale.${name}.${s.label}_items_${s.chats}_chats`,
        value: value(s.label, log),
        unit,
        ...(i === 0 ? { note } : { ratio: value(s.label, log) / base }),
        ...(goal && i === SCALES.length - 1 ? { goal } : {}),
      };
    });
  const requestNote = `mean of ${REQUESTS} sequential requests, median of ${ROUNDS}; ratio vs 1k`;
  return [
    ...(Object.keys(ROUTES) as Route[]).flatMap((route) =>
      grow(
        route,
        "ms",
        (l) => latencies[`${route}.${l}`] ?? Number.NaN,
        `GET ${ROUTES[route].path}${route === "list_chats" ? " (a page: the first 10 chats, full at every scale)" : ""}; ${requestNote}`,
        "flat",
      ),
    ),
    ...grow(
      "boot",
      "ms",
      (l) => boots[l].ms,
      `spawn to /health, median of ${BOOTS}; ratio vs 1k`,
      "flat",
    ),
    ...grow(
      "db_size",
      "MB",
      (_, log) => log.bytes / MB,
      `the database file, checkpointed; ${logs[0]?.events} events at 1k`,
    ),
    {
      name: "scale.db_size_per_1m_events",
      value: (million.bytes / million.events) * (1_000_000 / MB),
      unit: "MB",
      note: `the 1M-event log: ${(million.bytes / MB).toFixed(0)} MB for ${million.events} events`,
    },
  ];
}

async function get(url: string): Promise<string> {
  const res = await fetch(url, { headers: { "x-replicas-engine-secret": TEST_SECRET } });
  const body = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${body.slice(0, 200)}`);
  return body;
}

async function meanMs(url: string): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < REQUESTS; i++) await get(url);
  return (performance.now() - started) / REQUESTS;
}
