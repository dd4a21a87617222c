-- Read-model documents are often kilobytes (a chat's items): SQLite stores such rows better in
-- a rowid table than in a WITHOUT ROWID one, whose B-tree keeps whole rows in its key pages.
CREATE TABLE read_models_v2 (
  projection TEXT NOT NULL,
  doc_id TEXT NOT NULL,
  grp TEXT NOT NULL,
  data TEXT NOT NULL,
  first_position INTEGER NOT NULL,
  last_position INTEGER NOT NULL,
  UNIQUE (projection, doc_id)
) STRICT;

INSERT INTO read_models_v2 (projection, doc_id, grp, data, first_position, last_position)
SELECT projection, doc_id, grp, data, first_position, last_position FROM read_models;

DROP TABLE read_models;
ALTER TABLE read_models_v2 RENAME TO read_models;
CREATE INDEX read_models_by_group ON read_models (projection, grp, first_position);
