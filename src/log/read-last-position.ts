import type { Db } from "./open-database.js";

/** The position of the newest committed event (0 for an empty log). */
export function readLastPosition(db: Db): number {
  const row = db.prepare<[], { p: number | null }>("SELECT MAX(position) AS p FROM events").get();
  return row?.p ?? 0;
}
