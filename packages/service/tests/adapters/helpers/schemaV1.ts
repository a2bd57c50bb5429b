/** The schema of a version 1 state database, as the store shipped it: the fixture of the upgrade test. */
export const SCHEMA_V1_SQL = `
CREATE TABLE deliveries (
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
CREATE INDEX deliveries_status ON deliveries (status, seq);
CREATE TABLE files (
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
CREATE TABLE callback_dedupe (
  dedupe_key TEXT PRIMARY KEY,
  body_sha256 TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  received_at TEXT NOT NULL
);
`;
