-- The append-only event log and the identity of this store.
CREATE TABLE store_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- The epoch tells clients whether a cursor belongs to this log; it is written once.
INSERT INTO store_meta (key, value) VALUES ('epoch', lower(hex(randomblob(16))));

CREATE TRIGGER store_meta_epoch_frozen BEFORE UPDATE ON store_meta WHEN old.key = 'epoch'
BEGIN SELECT RAISE(ABORT, 'the store epoch is written once'); END;

CREATE TABLE events (
  position INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  stream TEXT NOT NULL,
  stream_version INTEGER NOT NULL,
  type TEXT NOT NULL,
  schema_version INTEGER NOT NULL,
  data TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  UNIQUE (stream, stream_version)
) STRICT;

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
