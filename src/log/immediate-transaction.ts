import type { Transaction } from "better-sqlite3";
import type { Db } from "./open-database.js";

type Runner = Transaction<(body: () => unknown) => unknown>;

const runners = new WeakMap<Db, Runner>();

/**
 * Runs `body` in a `BEGIN IMMEDIATE` transaction (a savepoint when one is already open), with
 * one transaction function per connection: better-sqlite3 builds five wrappers each time
 * `db.transaction` is called, which was a twentieth of a one-event append.
 */
export function immediateTransaction<T>(db: Db, body: () => T): T {
  let run = runners.get(db);
  if (!run) {
    run = db.transaction((inner: () => unknown) => inner());
    runners.set(db, run);
  }
  return run.immediate(body) as T;
}
