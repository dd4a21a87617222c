import { statSync } from "node:fs";
import { join } from "node:path";
import type { NewEvent } from "../src/events/catalogue.js";
import { appendToStream } from "../src/log/append-to-stream.js";
import { openTestLog } from "../test/support/open-test-log.js";
import { benchTempDir } from "./bench-temp.js";
import { chatCreated, chatTurn } from "./chat-workload.js";

/** Whole turns per append (990 events): no turn is left open, appends are ~1,000 events. */
const TURNS_PER_APPEND = 66;

export interface ChatLog {
  /** A HOME whose .replicas/engine/engine.db holds the log. */
  home: string;
  database: string;
  events: number;
  /** The database file once checkpointed (no WAL left). */
  bytes: number;
  buildSeconds: number;
}

/**
 * A log of realistic chat events written through appendToStream, so its read models and
 * checkpoints are exactly the engine's: chats c0, c1, ..., chat i with `turnsPerChat[i]` turns
 * (two history items each), the chats taking turns in appends of up to 66 turns.
 */
export function writeChatLog(name: string, turnsPerChat: number[]): ChatLog {
  const home = benchTempDir(name);
  const database = join(home, ".replicas", "engine", "engine.db");
  const log = openTestLog(join(home, ".replicas", "engine"));
  const started = performance.now();
  let events = 0;
  const append = (chatId: string, batch: NewEvent[]) => {
    const result = appendToStream(log, `chat:${chatId}`, batch);
    if (!result.ok) throw new Error(`append refused: ${JSON.stringify(result.error)}`);
    events += batch.length;
  };
  for (const [c] of turnsPerChat.entries()) append(`c${c}`, [chatCreated(`c${c}`)]);
  const written = turnsPerChat.map(() => 0);
  for (let left = true; left; ) {
    left = false;
    for (const [c, turns] of turnsPerChat.entries()) {
      const done = written[c] ?? 0;
      const count = Math.min(TURNS_PER_APPEND, turns - done);
      if (count <= 0) continue;
      const batch: NewEvent[] = [];
      for (let t = 0; t < count; t++) batch.push(...chatTurn(`c${c}`, done + t));
      append(`c${c}`, batch);
      written[c] = done + count;
      left ||= done + count < turns;
    }
  }
  log.db.pragma("wal_checkpoint(TRUNCATE)");
  log.close();
  const buildSeconds = (performance.now() - started) / 1000;
  return { home, database, events, bytes: statSync(database).size, buildSeconds };
}
