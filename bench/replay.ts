import { projections } from "../projections/all.js";
import { catalogue } from "../src/events/catalogue.js";
import type { Db } from "../src/log/open-database.js";
import { openReadOnly } from "../src/log/open-read-only.js";
import { eventColumns, type StoredEventRow } from "../src/log/stored-event.js";
import { replayLog } from "../src/replay/replay-log.js";
import type { BenchRow } from "./bench-row.js";
import { millionEventLog } from "./million-event-log.js";
import { interleavedMedians } from "./stats.js";

const ROUNDS = 3;

/**
 * replayLog (every projection folded in memory from the log alone) over a million events,
 * against the machine's floor for the same rows: one scan of the events table with JSON.parse
 * of every data column, in the same run.
 */
export async function benchReplay(): Promise<BenchRow[]> {
  const fixture = millionEventLog();
  const opened = openReadOnly(fixture.database);
  if (!opened.ok) throw new Error(opened.message);
  const { db } = opened;
  try {
    const rates = await interleavedMedians(ROUNDS, {
      raw: () => rawScan(db, fixture.events),
      replay: () => {
        const replayed = replayLog(db, catalogue, projections);
        if (replayed.events !== fixture.events) {
          throw new Error(`replay saw ${replayed.events} of ${fixture.events} events`);
        }
        return replayed.events / (replayed.millis / 1000);
      },
    });
    const rawRate = rates.raw;
    const rate = rates.replay;
    return [
      {
        name: "log.build_1m.append_batches",
        value: fixture.events / fixture.buildSeconds,
        unit: "events/s",
        note: `${fixture.events} events in ${fixture.buildSeconds.toFixed(0)} s, appends of 990`,
      },
      { name: "replay.1m.raw_scan_json_parse", value: rawRate, unit: "events/s" },
      {
        name: "replay.1m.replayLog",
        value: rate,
        unit: "events/s",
        ratio: rate / rawRate,
        goal: ">= 0.5",
        note: `${(fixture.events / rate).toFixed(1)} s; median of ${ROUNDS} interleaved rounds`,
      },
    ];
  } finally {
    db.close();
  }
}

/** Events per second of one scan of every row, JSON.parse of each data column included. */
function rawScan(db: Db, expected: number): number {
  const started = performance.now();
  let events = 0;
  const scan = db.prepare<[], StoredEventRow>(
    `SELECT ${eventColumns} FROM events ORDER BY position`,
  );
  for (const row of scan.iterate()) {
    JSON.parse(row.data);
    events++;
  }
  if (events !== expected) throw new Error(`the scan saw ${events} of ${expected} events`);
  return events / ((performance.now() - started) / 1000);
}
