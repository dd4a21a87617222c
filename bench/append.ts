import { join } from "node:path";
import { v7 as uuidv7 } from "uuid";
import type { NewEvent } from "../src/events/catalogue.js";
import { appendToStream } from "../src/log/append-to-stream.js";
import { migrate } from "../src/log/migrate.js";
import { openDatabase } from "../src/log/open-database.js";
import { openTestLog } from "../test/support/open-test-log.js";
import type { BenchRow } from "./bench-row.js";
import { benchTempDir } from "./bench-temp.js";
import { chatStream, take } from "./chat-workload.js";
import { interleavedMedians } from "./stats.js";

const CHATS = 20;
const SINGLE_EVENTS = 20_000;
const BATCH = 100;
const BATCH_EVENTS = 100_000;
const ROUNDS = 3;

interface Batch {
  stream: string;
  events: NewEvent[];
}

/** The same realistic chat events cut into appends of `size`, round-robin over the chats. */
function workload(total: number, size: number): Batch[] {
  const chats = Array.from({ length: CHATS }, (_, c) => ({
    stream: `chat:c${c}`,
    source: chatStream(`c${c}`),
  }));
  const batches: Batch[] = [];
  for (let done = 0, i = 0; done < total; i++) {
    const chat = chats[i % CHATS];
    if (!chat) break;
    const events = take(chat.source, Math.min(size, total - done));
    batches.push({ stream: chat.stream, events });
    done += events.length;
  }
  return batches;
}

function engineRate(batches: Batch[]): number {
  const log = openTestLog(benchTempDir("append"));
  const count = batches.reduce((sum, b) => sum + b.events.length, 0);
  const started = performance.now();
  for (const batch of batches) {
    const result = appendToStream(log, batch.stream, batch.events);
    if (!result.ok) throw new Error(`append refused: ${JSON.stringify(result.error)}`);
  }
  const seconds = (performance.now() - started) / 1000;
  log.close();
  return count / seconds;
}

type Row = [string, string, number, string, number, string, string];

/**
 * The machine's limit for the same rows: better-sqlite3 inserts into the events table the
 * migrations create, same pragmas, one transaction per batch, no validation and no projections.
 * Rows are serialised before the clock starts.
 */
function rawRate(batches: Batch[]): number {
  const db = openDatabase(join(benchTempDir("append-raw"), "engine.db"));
  const migrated = migrate(db);
  if (!migrated.ok) throw new Error(migrated.message);
  const versions = new Map<string, number>();
  const rows: Row[][] = batches.map((batch) =>
    batch.events.map((event) => {
      const version = (versions.get(batch.stream) ?? 0) + 1;
      versions.set(batch.stream, version);
      return [uuidv7(), batch.stream, version, event.type, 1, JSON.stringify(event.data), ""];
    }),
  );
  const insert = db.prepare(
    "INSERT INTO events (event_id, stream, stream_version, type, schema_version, data, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  const write = db.transaction((page: Row[], recordedAt: string) => {
    for (const row of page) {
      row[6] = recordedAt;
      insert.run(...row);
    }
  });
  const count = rows.reduce((sum, page) => sum + page.length, 0);
  const started = performance.now();
  for (const page of rows) write.immediate(page, new Date().toISOString());
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return count / seconds;
}

let rawSingle: number | undefined;

/** Raw inserts, one transaction per event: the ceiling for anything that appends event by event. */
export function rawSingleAppendRate(): number {
  rawSingle ??= rawRate(workload(SINGLE_EVENTS, 1));
  return rawSingle;
}

/**
 * appendToStream with realistic chat events (deltas of ~200 bytes, final items of ~2 KB), one
 * event per append and 100 per append, against raw inserts of the same rows in the same run.
 */
export async function benchAppend(): Promise<BenchRow[]> {
  const singles = workload(SINGLE_EVENTS, 1);
  const batches = workload(BATCH_EVENTS, BATCH);
  const rates = await interleavedMedians(ROUNDS, {
    rawSingle: () => rawRate(singles),
    single: () => engineRate(singles),
    rawBatch: () => rawRate(batches),
    batched: () => engineRate(batches),
  });
  rawSingle = rates.rawSingle;
  const note = `median of ${ROUNDS} interleaved rounds`;
  return [
    { name: "append.single.raw_sqlite", value: rates.rawSingle, unit: "events/s", note },
    {
      name: "append.single.engine",
      value: rates.single,
      unit: "events/s",
      ratio: rates.single / rates.rawSingle,
      note: "one appendToStream per event, a transaction each",
    },
    { name: "append.batch100.raw_sqlite", value: rates.rawBatch, unit: "events/s", note },
    {
      name: "append.batch100.engine",
      value: rates.batched,
      unit: "events/s",
      ratio: rates.batched / rates.rawBatch,
      goal: ">= 0.5",
    },
  ];
}
