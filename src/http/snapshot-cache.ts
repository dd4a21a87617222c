/** How many snapshots a cache keeps: the pages a poller reads, not every page ever asked for. */
const MAX_ENTRIES = 64;

/**
 * Serialised snapshots keyed by what they reflect (the log position, and for /status the second
 * too): a GET between two changes sends bytes built once, so a poll costs what a static
 * response costs. Keys are open-ended (a page of GET /chats per cursor and limit), so the
 * cache keeps the most recently used `MAX_ENTRIES` and drops the others.
 */
export class SnapshotCache {
  private readonly entries = new Map<string, { version: string | number; json: string }>();

  get(key: string, version: string | number, build: () => unknown): string {
    const hit = this.entries.get(key);
    // Deleted and set again: the Map's order is then the order of use, oldest first.
    this.entries.delete(key);
    const json = hit?.version === version ? hit.json : JSON.stringify(build());
    this.entries.set(key, { version, json });
    const oldest = this.entries.keys().next().value;
    if (this.entries.size > MAX_ENTRIES && oldest !== undefined) this.entries.delete(oldest);
    return json;
  }
}
