/** How many snapshots a cache keeps: the pages a poller reads, not every page ever asked for. */
const MAX_ENTRIES = 64;

/**
 * Serialised snapshots keyed by what they reflect (the log position, and for /status the second
 * too): a GET between two changes sends bytes built once, so a poll costs what a static
 * response costs. They are kept encoded: a string body is measured and encoded to UTF-8 again on
 * every send (a `GET /chats` page of 100 chats is 43 KB). Keys are open-ended (a page of GET
 * /chats per cursor and limit), so the cache keeps the most recently used `MAX_ENTRIES` and
 * drops the others.
 */
export class SnapshotCache {
  private readonly entries = new Map<
    string,
    { version: string | number; bytes: Uint8Array<ArrayBuffer> }
  >();

  get(key: string, version: string | number, build: () => unknown): Uint8Array<ArrayBuffer> {
    const hit = this.entries.get(key);
    // Deleted and set again: the Map's order is then the order of use, oldest first.
    this.entries.delete(key);
    const bytes = hit?.version === version ? hit.bytes : encoder.encode(JSON.stringify(build()));
    this.entries.set(key, { version, bytes });
    const oldest = this.entries.keys().next().value;
    if (this.entries.size > MAX_ENTRIES && oldest !== undefined) this.entries.delete(oldest);
    return bytes;
  }
}

const encoder = new TextEncoder();
