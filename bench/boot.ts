import { readFileSync } from "node:fs";
import { execa, type ResultPromise } from "execa";
import { cliPath } from "../test/support/cli.js";
import { freePort, spawnEngine } from "../test/support/engine-process.js";
import type { BenchRow } from "./bench-row.js";
import { benchTempDir } from "./bench-temp.js";
import { millionEventLog } from "./million-event-log.js";
import { median } from "./stats.js";

const BOOTS = 3;

// The floor: a node process that only answers /health.
const bareServer = `require("node:http").createServer((q, s) => s.end('{"status":"ok"}')).listen(Number(process.env.PORT), "127.0.0.1")`;

/**
 * Boot of the real `replicas-engine serve` (a child process) over an empty log and over the
 * million-event log: time from spawn until /health answers, and the process's RSS then, against
 * a bare node:http process measured the same way in the same run.
 */
export async function benchBoot(): Promise<BenchRow[]> {
  const fixture = millionEventLog();
  const emptyHome = benchTempDir("boot-empty");
  const starters = {
    bare: async (port: number) => ({
      child: execa(process.execPath, ["-e", bareServer], {
        env: { PORT: String(port) },
        reject: false,
      }),
    }),
    empty: (port: number) => spawnEngine(emptyHome, port, { args: [cliPath, "serve"] }),
    million: (port: number) => spawnEngine(fixture.home, port, { args: [cliPath, "serve"] }),
  };
  // Interleaved, so disk write-back or machine load hits the three alike.
  const runs: Record<keyof typeof starters, Boot[]> = { bare: [], empty: [], million: [] };
  for (let i = 0; i < BOOTS; i++) {
    for (const [name, start] of Object.entries(starters)) {
      runs[name as keyof typeof starters].push(await boot(start));
    }
  }
  const [bare, empty, million] = [runs.bare, runs.empty, runs.million].map((r) => ({
    ms: median(r.map((b) => b.ms)),
    rssMb: median(r.map((b) => b.rssMb)),
  })) as [Boot, Boot, Boot];
  return [
    { name: "boot.bare_node_http", value: bare.ms, unit: "ms", note: `RSS ${bare.rssMb} MB` },
    {
      name: "boot.engine.empty_log",
      value: empty.ms,
      unit: "ms",
      ratio: empty.ms / bare.ms,
      note: `RSS ${empty.rssMb} MB`,
    },
    {
      name: "boot.engine.1m_events",
      value: million.ms,
      unit: "ms",
      ratio: million.ms / bare.ms,
      goal: "< 1000 ms",
      note: `spawn to /health, median of ${BOOTS}`,
    },
    {
      name: "boot.engine.1m_events.rss",
      value: million.rssMb,
      unit: "MB",
      ratio: million.rssMb / bare.rssMb,
      note: "VmRSS once /health answers; ratio vs the bare node process",
    },
  ];
}

interface Boot {
  ms: number;
  rssMb: number;
}

/** A started child is wrapped: an async function returning the subprocess would await its exit. */
async function boot(start: (port: number) => Promise<{ child: ResultPromise }>): Promise<Boot> {
  const port = await freePort();
  const started = performance.now();
  const { child } = await start(port);
  try {
    await untilHealthy(port, child);
    const ms = performance.now() - started;
    return { ms, rssMb: rssMb(child.pid ?? 0) };
  } finally {
    child.kill("SIGTERM");
    await child;
  }
}

async function untilHealthy(port: number, child: ResultPromise): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error("the process exited before /health answered");
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}
