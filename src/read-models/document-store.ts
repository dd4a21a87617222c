import type { FoldedDocument } from "../../projections/fold.js";
import type { Db } from "../log/open-database.js";

export interface Row {
  doc_id: string;
  grp: string;
  data: string;
  first_position: number;
  last_position: number;
}

function toDocument(row: Row): FoldedDocument {
  return {
    id: row.doc_id,
    group: row.grp,
    data: JSON.parse(row.data),
    firstPosition: row.first_position,
    lastPosition: row.last_position,
  };
}

/** The rows of the read_models table: one document of one projection each. */
export function documentStore(db: Db) {
  const get = db.prepare<[string, string], Row>(
    "SELECT doc_id, grp, data, first_position, last_position FROM read_models WHERE projection = ? AND doc_id = ?",
  );
  const all = db.prepare<[string], Row>(
    "SELECT doc_id, grp, data, first_position, last_position FROM read_models WHERE projection = ? ORDER BY doc_id",
  );
  const group = db.prepare<[string, string, number, number], Row>(
    "SELECT doc_id, grp, data, first_position, last_position FROM read_models WHERE projection = ? AND grp = ? AND first_position > ? ORDER BY first_position LIMIT ?",
  );
  const latest = db.prepare<[string, string, number], Row>(
    "SELECT doc_id, grp, data, first_position, last_position FROM read_models WHERE projection = ? AND grp = ? ORDER BY first_position DESC LIMIT ?",
  );
  // A document's group never changes (it is part of what its id names): an update leaves the
  // group index alone.
  const upsert = db.prepare(
    `INSERT INTO read_models (projection, doc_id, grp, data, first_position, last_position) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (doc_id, projection) DO UPDATE SET data = excluded.data, last_position = excluded.last_position`,
  );
  const remove = db.prepare("DELETE FROM read_models WHERE projection = ? AND doc_id = ?");
  // A group with its subgroups (`<group>/…`) as one range of the group index, [group, group
  // + '0'): '0' is the character after '/', and the check drops the groups in that range that
  // only share the prefix (`<group>-x`). SQLite scans the projection's whole range for an OR.
  const removeGroup = db.prepare(
    `DELETE FROM read_models WHERE projection = $projection AND grp >= $grp AND grp < $grp || '0'
     AND (grp = $grp OR substr(grp, length($grp) + 1, 1) = '/')`,
  );
  const removeAll = db.prepare("DELETE FROM read_models WHERE projection = ?");
  return {
    get(projection: string, id: string): FoldedDocument | undefined {
      const row = get.get(projection, id);
      return row && toDocument(row);
    },
    all: (projection: string) => all.all(projection).map(toDocument),
    /** Raw JSON of every document, for comparisons that must not reformat anything. */
    allRaw: (projection: string) => all.all(projection),
    group: (projection: string, grp: string, after: number, limit: number) =>
      group.all(projection, grp, after, limit).map(toDocument),
    /** The group's `limit` newest documents, oldest first. */
    latest: (projection: string, grp: string, limit: number) =>
      latest.all(projection, grp, limit).reverse().map(toDocument),
    put(projection: string, doc: FoldedDocument): void {
      upsert.run(
        projection,
        doc.id,
        doc.group,
        JSON.stringify(doc.data),
        doc.firstPosition,
        doc.lastPosition,
      );
    },
    remove: (projection: string, id: string) => void remove.run(projection, id),
    removeGroup: (projection: string, grp: string) => void removeGroup.run({ projection, grp }),
    removeAll: (projection: string) => void removeAll.run(projection),
  };
}
export type DocumentStore = ReturnType<typeof documentStore>;
