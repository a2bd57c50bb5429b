/** SQLite schema of the local delivery store. Applied idempotently on open. */

/** Bumped when the schema changes; stored in `PRAGMA user_version`. */
export const SCHEMA_VERSION = 2;

/**
 * Version 2: the delivery row holds counts, never a list; the accepted callback's body (which may
 * carry an inline list of any length) is a row of `callbacks`, read only by `getCallback`.
 */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS deliveries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  provider_id TEXT NOT NULL,
  project_id TEXT,
  label TEXT,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  idempotency_key TEXT UNIQUE,
  request_hash TEXT NOT NULL,
  error_json TEXT,
  callback_receipt_json TEXT,
  task_token TEXT,
  files_total INTEGER NOT NULL DEFAULT 0,
  files_pending INTEGER NOT NULL DEFAULT 0,
  files_downloading INTEGER NOT NULL DEFAULT 0,
  files_completed INTEGER NOT NULL DEFAULT 0,
  files_failed INTEGER NOT NULL DEFAULT 0,
  bytes_expected INTEGER NOT NULL DEFAULT 0,
  size_unknown INTEGER NOT NULL DEFAULT 0,
  bytes_done INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS deliveries_status ON deliveries (status, seq);
CREATE TABLE IF NOT EXISTS callbacks (
  delivery_id TEXT PRIMARY KEY REFERENCES deliveries (id),
  body_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
  delivery_id TEXT NOT NULL REFERENCES deliveries (id),
  idx INTEGER NOT NULL,
  name TEXT NOT NULL,
  source_url TEXT NOT NULL,
  size INTEGER,
  expected_json TEXT,
  bytes INTEGER NOT NULL DEFAULT 0,
  sha256 TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  error_json TEXT,
  route TEXT,
  PRIMARY KEY (delivery_id, idx)
);
CREATE INDEX IF NOT EXISTS files_status ON files (delivery_id, status, idx);
CREATE TABLE IF NOT EXISTS callback_dedupe (
  dedupe_key TEXT PRIMARY KEY,
  body_sha256 TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  received_at TEXT NOT NULL
);
`;

/** Column of each count on the delivery row. */
export const COUNT_COLUMNS = {
  files: 'files_total',
  pending: 'files_pending',
  downloading: 'files_downloading',
  completed: 'files_completed',
  failed: 'files_failed',
  bytesExpected: 'bytes_expected',
  sizeUnknown: 'size_unknown',
  bytesDone: 'bytes_done',
} as const;

/**
 * From version 1 (the callback body and no counts on the delivery row): adds the count columns
 * and fills them from the files, moves each callback body into `callbacks`, drops the old column.
 * Runs in one transaction before {@link SCHEMA_SQL}.
 */
export const MIGRATE_FROM_V1_SQL = `
${Object.values(COUNT_COLUMNS)
  .map((column) => `ALTER TABLE deliveries ADD COLUMN ${column} INTEGER NOT NULL DEFAULT 0;`)
  .join('\n')}
UPDATE deliveries SET
  files_total = (SELECT COUNT(*) FROM files f WHERE f.delivery_id = deliveries.id),
  files_pending = (SELECT COUNT(*) FROM files f WHERE f.delivery_id = deliveries.id AND f.status = 'pending'),
  files_downloading = (SELECT COUNT(*) FROM files f WHERE f.delivery_id = deliveries.id AND f.status = 'downloading'),
  files_completed = (SELECT COUNT(*) FROM files f WHERE f.delivery_id = deliveries.id AND f.status = 'completed'),
  files_failed = (SELECT COUNT(*) FROM files f WHERE f.delivery_id = deliveries.id AND f.status = 'failed'),
  bytes_expected = (SELECT COALESCE(SUM(f.size), 0) FROM files f WHERE f.delivery_id = deliveries.id),
  size_unknown = (SELECT COUNT(*) FROM files f WHERE f.delivery_id = deliveries.id AND f.size IS NULL),
  bytes_done = (SELECT COALESCE(SUM(f.bytes), 0) FROM files f WHERE f.delivery_id = deliveries.id);
CREATE TABLE callbacks (
  delivery_id TEXT PRIMARY KEY REFERENCES deliveries (id),
  body_json TEXT NOT NULL
);
INSERT INTO callbacks (delivery_id, body_json)
  SELECT id, callback_json FROM deliveries WHERE callback_json IS NOT NULL;
ALTER TABLE deliveries DROP COLUMN callback_json;
`;
