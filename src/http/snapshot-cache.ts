/**
 * Serialised snapshots keyed by what they reflect (the log position, and for /status the second
 * too): a GET between two changes sends bytes built once, so a poll costs what a static
 * response costs.
 */
export class SnapshotCache {
  private readonly entries = new Map<string, { version: string | number; json: string }>();

  get(key: string, version: string | number, build: () => unknown): string {
    const hit = this.entries.get(key);
    if (hit?.version === version) return hit.json;
    const json = JSON.stringify(build());
    this.entries.set(key, { version, json });
    return json;
  }
}
