import { join } from "node:path";
import type { NewEvent } from "../src/events/catalogue.js";
import { appendToStream } from "../src/log/append-to-stream.js";
import { openTestLog } from "../test/support/open-test-log.js";
import { benchTempDir } from "./bench-temp.js";
import { chatCreated, chatTurn } from "./chat-workload.js";

const MILLION = 1_000_000;
const CHATS = 100;
const TURNS_PER_APPEND = 66; // 990 events: whole turns, so no turn is left open

export interface MillionEventLog {
  /** A HOME whose .replicas/engine/engine.db holds the log. */
  home: string;
  database: string;
  events: number;
  buildSeconds: number;
}

let built: MillionEventLog | undefined;

/**
 * A log of a little over a million realistic chat events over 100 chats, written through
 * appendToStream in appends of ~1,000 events, so its read models and checkpoints are exactly
 * the engine's. Built once per run and shared by the replay and boot benchmarks.
 */
export function millionEventLog(): MillionEventLog {
  if (built) return built;
  const home = benchTempDir("million");
  const log = openTestLog(join(home, ".replicas", "engine"));
  const started = performance.now();
  let events = 0;
  for (let c = 0; c < CHATS; c++) {
    appendToStream(log, `chat:c${c}`, [chatCreated(`c${c}`)]);
    events++;
  }
  for (let n = 0; events < MILLION; n++) {
    const chatId = `c${n % CHATS}`;
    const batch: NewEvent[] = [];
    for (let t = 0; t < TURNS_PER_APPEND; t++)
      batch.push(...chatTurn(chatId, n * TURNS_PER_APPEND + t));
    const result = appendToStream(log, `chat:${chatId}`, batch);
    if (!result.ok) throw new Error(`append refused: ${JSON.stringify(result.error)}`);
    events += batch.length;
  }
  log.db.pragma("wal_checkpoint(TRUNCATE)");
  log.close();
  built = {
    home,
    database: join(home, ".replicas", "engine", "engine.db"),
    events,
    buildSeconds: (performance.now() - started) / 1000,
  };
  return built;
}
