import type { ResultPromise } from "execa";
import { freePort } from "../test/support/engine-process.js";
import { rssMb } from "./process-tree.js";
import { median } from "./stats.js";

/** How long a daemon is left alone after its first /health answer before its RSS is read. */
const IDLE_MS = 1000;

/**
 * Long enough for V8's memory reducer to have run: some 8 s after the process starts, once
 * allocation has slowed, it returns boot's garbage and young-generation pages (the engine's
 * RSS falls 63.3 → 59.5 MB between 8 and 9.5 s here; a bare process has nothing to return).
 * What an idle daemon holds from then on.
 */
export const SETTLED_MS = 12_000;

export interface Boot {
  /** Spawn to the first successful /health answer. */
  ms: number;
  /** VmRSS once the daemon has been idle for `idleMs` after that answer. */
  rssMb: number;
}

/** Spawns a daemon on `port`; `health` is the URL that answers 2xx once it serves. */
export type Starter = (port: number) => Promise<{ child: ResultPromise; health: string }>;

/**
 * Boots each daemon `rounds` times, interleaved (disk write-back or machine load then hits all
 * alike), each on a fresh port and stopped after; medians of time to /health and of the RSS
 * `idleMs` after it.
 */
export async function medianBoots<K extends string>(
  rounds: number,
  starters: Record<K, Starter>,
  idleMs = IDLE_MS,
): Promise<Record<K, Boot>> {
  const runs = {} as Record<K, Boot[]>;
  for (let round = 0; round < rounds; round++) {
    for (const [name, start] of Object.entries(starters) as [K, Starter][]) {
      runs[name] ??= [];
      runs[name].push(await bootOnce(start, idleMs));
    }
  }
  const medians = {} as Record<K, Boot>;
  for (const [name, boots] of Object.entries(runs) as [K, Boot[]][]) {
    medians[name] = {
      ms: median(boots.map((b) => b.ms)),
      rssMb: median(boots.map((b) => b.rssMb)),
    };
  }
  return medians;
}

/** A started child is wrapped: an async function returning the subprocess would await its exit. */
async function bootOnce(start: Starter, idleMs: number): Promise<Boot> {
  const port = await freePort();
  const started = performance.now();
  const { child, health } = await start(port);
  try {
    await untilHealthy(health, child);
    const ms = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    return { ms, rssMb: rssMb(child.pid ?? 0) };
  } finally {
    child.kill("SIGTERM");
    await child;
  }
}

/** Polls `url` until it answers 2xx; fails as soon as the process exits. */
export async function untilHealthy(url: string, child: ResultPromise): Promise<void> {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the process exited before ${url} answered`);
    const ok = await fetch(url).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
