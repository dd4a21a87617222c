import type { Db } from "./open-database.js";
import { prepareCached } from "./prepare-cached.js";
import { eventColumns, type StoredEventRow } from "./stored-event.js";

export interface ReadBatchOptions {
  /** Exclusive cursor: events with a greater position. Resume with `>`, never assume `+1`. */
  after: number;
  limit: number;
  streams?: readonly string[];
  types?: readonly string[];
  /** Inclusive upper bound (the replay tool's --until). */
  until?: number;
}

/** One page of the global log in position order, as raw rows. */
export function readEventsBatch(db: Db, options: ReadBatchOptions): StoredEventRow[] {
  return batchQuery(db, options).all();
}

/**
 * The same page, one row at a time: a reader that stops early (a byte bound) never loads the
 * rows after the one it stopped at. Finish or leave the loop before the next query runs.
 */
export function iterateEventsBatch(
  db: Db,
  options: ReadBatchOptions,
): IterableIterator<StoredEventRow> {
  return batchQuery(db, options).iterate();
}

function batchQuery(db: Db, options: ReadBatchOptions) {
  const where = ["position > ?"];
  const params: (string | number)[] = [options.after];
  if (options.until !== undefined) {
    where.push("position <= ?");
    params.push(options.until);
  }
  if (options.streams?.length) {
    where.push(`stream IN (${options.streams.map(() => "?").join(", ")})`);
    params.push(...options.streams);
  }
  if (options.types?.length) {
    where.push(`type IN (${options.types.map(() => "?").join(", ")})`);
    params.push(...options.types);
  }
  params.push(options.limit);
  const statement = prepareCached<(string | number)[], StoredEventRow>(
    db,
    `SELECT ${eventColumns} FROM events WHERE ${where.join(" AND ")} ORDER BY position LIMIT ?`,
  );
  return { all: () => statement.all(...params), iterate: () => statement.iterate(...params) };
}
