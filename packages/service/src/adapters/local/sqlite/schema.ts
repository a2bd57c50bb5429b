/** SQLite schema of the local delivery store. Applied idempotently on open. */

/** Bumped when the schema changes; stored in `PRAGMA user_version`. */
export const SCHEMA_VERSION = 1;

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
  callback_json TEXT,
  task_token TEXT
);
CREATE INDEX IF NOT EXISTS deliveries_status ON deliveries (status, seq);
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
CREATE TABLE IF NOT EXISTS callback_dedupe (
  dedupe_key TEXT PRIMARY KEY,
  body_sha256 TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  received_at TEXT NOT NULL
);
`;
