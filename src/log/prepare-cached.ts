import type { Statement } from "better-sqlite3";
import type { Db } from "./open-database.js";

const caches = new WeakMap<Db, Map<string, Statement>>();

/** Compiles each distinct SQL text once per connection: readers build a few shapes many times. */
export function prepareCached<P extends unknown[], R>(db: Db, sql: string): Statement<P, R> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement as Statement<P, R>;
}
