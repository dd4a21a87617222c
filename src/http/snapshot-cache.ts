/**
 * Serialised snapshots keyed by the log position they reflect: a GET between two commits sends
 * bytes built once, so a poll costs what a static response costs.
 */
export class SnapshotCache {
  private readonly entries = new Map<string, { position: number; json: string }>();

  get(key: string, position: number, build: () => unknown): string {
    const hit = this.entries.get(key);
    if (hit?.position === position) return hit.json;
    const json = JSON.stringify(build());
    this.entries.set(key, { position, json });
    return json;
  }
}
