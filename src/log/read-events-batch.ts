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
  return prepareCached<(string | number)[], StoredEventRow>(
    db,
    `SELECT ${eventColumns} FROM events WHERE ${where.join(" AND ")} ORDER BY position LIMIT ?`,
  ).all(...params);
}
