-- The unique key leads with the document id, so the documents of one chat in every projection
-- (its messages, history entries and streamed chunks, all named `<chatId>/…`) sit side by side
-- in the index: an append touches one or two of its pages instead of one per projection. Reads
-- by id are equality lookups either way; a projection's documents listed together go through
-- read_models_by_group, which leads with the projection.
CREATE TABLE read_models_v4 (
  projection TEXT NOT NULL,
  doc_id TEXT NOT NULL,
  grp TEXT NOT NULL,
  data TEXT NOT NULL,
  first_position INTEGER NOT NULL,
  last_position INTEGER NOT NULL,
  UNIQUE (doc_id, projection)
) STRICT;

INSERT INTO read_models_v4 (projection, doc_id, grp, data, first_position, last_position)
SELECT projection, doc_id, grp, data, first_position, last_position FROM read_models;

DROP TABLE read_models;
ALTER TABLE read_models_v4 RENAME TO read_models;
CREATE INDEX read_models_by_group ON read_models (projection, grp, first_position);
