import { benchAppend } from "./append.js";
import type { BenchRow } from "./bench-row.js";
import { removeBenchTemp } from "./bench-temp.js";
import { benchBoot } from "./boot.js";
import { benchClaudeOverhead } from "./claude-overhead.js";
import { benchCodexOverhead } from "./codex-overhead.js";
import { benchEndToEnd } from "./e2e.js";
import { benchHttp } from "./http-load.js";
import { benchIdleChats } from "./idle-chats.js";
import { benchPeer } from "./peer.js";
import { benchReplay } from "./replay.js";
import { benchRepos } from "./repos.js";
import { benchScale } from "./scale.js";
import { benchSseFanout } from "./sse-fanout.js";
import { benchUiBundle } from "./ui-bundle.js";
import { benchUiPage } from "./ui-page.js";

/** Every benchmark, in the order they run; `npm run bench -- append replay` picks some by name. */
const benchmarks: { name: string; run: () => Promise<BenchRow[]> }[] = [
  { name: "append", run: benchAppend },
  { name: "replay", run: benchReplay },
  { name: "boot", run: benchBoot },
  { name: "scale", run: benchScale },
  { name: "e2e", run: benchEndToEnd },
  { name: "http", run: benchHttp },
  { name: "fanout", run: benchSseFanout },
  { name: "idle-chats", run: benchIdleChats },
  { name: "repos", run: benchRepos },
  { name: "claude-overhead", run: benchClaudeOverhead },
  { name: "codex-overhead", run: benchCodexOverhead },
  { name: "peer", run: benchPeer },
  { name: "ui-bundle", run: benchUiBundle },
  { name: "ui-page", run: benchUiPage },
];

function format(value: number | undefined, digits = 0): string {
  if (value === undefined) return "";
  return value.toLocaleString("en-US", {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

function printTable(rows: BenchRow[]): void {
  const cells = rows.map((row) => [
    row.name,
    format(row.value, row.value < 100 ? 2 : 0),
    row.unit,
    format(row.ratio, 2),
    row.goal ?? "",
    row.note ?? "",
  ]);
  const header = ["name", "value", "unit", "ratio", "goal", "note"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]?.length ?? 0)));
  const line = (c: string[]) =>
    c
      .map((cell, i) =>
        i === 1 || i === 3 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
      )
      .join("  ")
      .trimEnd();
  process.stdout.write(`${line(header)}\n${line(widths.map((w) => "-".repeat(w)))}\n`);
  for (const c of cells) process.stdout.write(`${line(c)}\n`);
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !benchmarks.some((b) => b.name === name));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown benchmark ${unknown.join(", ")}; known: ${benchmarks.map((b) => b.name).join(" ")}\n`,
    );
  }
  const selected = benchmarks.filter((b) => wanted.length === 0 || wanted.includes(b.name));
  const rows: BenchRow[] = [];
  try {
    for (const bench of selected) {
      const started = performance.now();
      process.stderr.write(`bench ${bench.name}...\n`);
      try {
        rows.push(...(await bench.run()));
      } catch (error) {
        // A broken benchmark is a row of the table, never a failed run.
        const message = error instanceof Error ? error.message : String(error);
        rows.push({ name: bench.name, value: Number.NaN, unit: "", note: `failed: ${message}` });
      }
      process.stderr.write(
        `bench ${bench.name}: ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
      );
    }
  } finally {
    removeBenchTemp();
  }
  process.stdout.write(`\n${new Date().toISOString()}\n`);
  printTable(rows);
}

await main();
// Benchmarks never fail a run, and a handle a benchmark left open must not keep it alive.
process.exit(0);
