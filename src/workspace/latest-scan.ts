/**
 * Records scans in the order they started. Scans overlap (a slow `GET /repos?includeDiffs=true`,
 * the rescan after a turn, `GET /plans`), and each is recorded as the changes since the state last
 * recorded: one that started before a scan already recorded saw an older workspace, and
 * recording it would put the older state back. It is still answered, only not recorded.
 */
export function latestScan<T>(record: (scan: T) => void) {
  let started = 0;
  let recorded = 0;
  return async (read: () => Promise<T>): Promise<T> => {
    const ticket = ++started;
    const scan = await read();
    if (ticket > recorded) {
      recorded = ticket;
      record(scan);
    }
    return scan;
  };
}
