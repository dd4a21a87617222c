-- Documents of the inline projections, written in the same transaction as their events.
CREATE TABLE read_models (
  projection TEXT NOT NULL,
  doc_id TEXT NOT NULL,
  grp TEXT NOT NULL,
  data TEXT NOT NULL,
  first_position INTEGER NOT NULL,
  last_position INTEGER NOT NULL,
  PRIMARY KEY (projection, doc_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX read_models_by_group ON read_models (projection, grp, first_position);

CREATE TABLE projection_checkpoints (
  name TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  position INTEGER NOT NULL
) STRICT;

-- Asynchronous consumers of the log (the webhook, ...) and how far each has got.
CREATE TABLE consumer_checkpoints (
  name TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
