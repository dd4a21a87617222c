import { execa } from "execa";
import { cliPath } from "../test/support/cli.js";
import { spawnEngine } from "../test/support/engine-process.js";
import type { BenchRow } from "./bench-row.js";
import { benchTempDir } from "./bench-temp.js";
import { medianBoots, SETTLED_MS, type Starter } from "./daemon-boot.js";
import { millionEventLog } from "./million-event-log.js";

const BOOTS = 7;
/** The settled RSS hardly moves from boot to boot (±0.4 MB); each of these boots idles 12 s. */
const SETTLED_BOOTS = 3;

// The floor: a node process that only answers /health.
const bareServer = `require("node:http").createServer((q, s) => s.end('{"status":"ok"}')).listen(Number(process.env.PORT), "127.0.0.1")`;

/** The real `replicas-engine serve` as a child process over the log in `home`. */
export function engineStarter(home: string): Starter {
  return async (port) => {
    const engine = await spawnEngine(home, port, { args: [cliPath, "serve"] });
    return { child: engine.child, health: `${engine.url}/health` };
  };
}

/**
 * Boot of the real `replicas-engine serve` (a child process) over an empty log and over the
 * million-event log: time from spawn until /health answers, and the process's RSS 1 s later and
 * once settled (idle), against a bare node:http process measured the same way in the same run.
 */
export async function benchBoot(): Promise<BenchRow[]> {
  const fixture = millionEventLog();
  const starters = {
    bare: async (port: number) => ({
      child: execa(process.execPath, ["-e", bareServer], {
        env: { PORT: String(port) },
        reject: false,
      }),
      health: `http://127.0.0.1:${port}/health`,
    }),
    empty: engineStarter(benchTempDir("boot-empty")),
    million: engineStarter(fixture.home),
  };
  const { bare, empty, million } = await medianBoots(BOOTS, starters);
  const settled = await medianBoots(SETTLED_BOOTS, starters, SETTLED_MS);
  const note = `spawn to /health, median of ${BOOTS} interleaved`;
  const early = "VmRSS 1 s after the first /health answer, before V8's memory reducer has run";
  const late = `VmRSS ${SETTLED_MS / 1000} s after the first /health answer (V8's memory reducer has run), median of ${SETTLED_BOOTS} interleaved`;
  return [
    { name: "boot.bare_node_http", value: bare.ms, unit: "ms", note },
    { name: "boot.bare_node_http.rss_1s", value: bare.rssMb, unit: "MB", note: early },
    { name: "boot.bare_node_http.idle_rss", value: settled.bare.rssMb, unit: "MB", note: late },
    {
      name: "boot.engine.empty_log",
      value: empty.ms,
      unit: "ms",
      ratio: empty.ms / bare.ms,
      goal: "<= 2.5x bare node",
      note,
    },
    {
      name: "boot.engine.empty_log.rss_1s",
      value: empty.rssMb,
      unit: "MB",
      ratio: empty.rssMb / bare.rssMb,
      note: early,
    },
    {
      name: "boot.engine.empty_log.idle_rss",
      value: settled.empty.rssMb,
      unit: "MB",
      ratio: settled.empty.rssMb / settled.bare.rssMb,
      goal: "<= 1.4x bare node",
      note: late,
    },
    {
      name: "boot.engine.1m_events",
      value: million.ms,
      unit: "ms",
      ratio: million.ms / bare.ms,
      goal: "<= 2.5x bare node",
      note: `${fixture.events} events; ${note}`,
    },
    {
      name: "boot.engine.1m_events.rss_1s",
      value: million.rssMb,
      unit: "MB",
      ratio: million.rssMb / bare.rssMb,
      note: early,
    },
    {
      name: "boot.engine.1m_events.idle_rss",
      value: settled.million.rssMb,
      unit: "MB",
      ratio: settled.million.rssMb / settled.bare.rssMb,
      goal: "<= 1.4x bare node",
      note: late,
    },
  ];
}
