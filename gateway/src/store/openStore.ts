// The gateway's state in one SQLite file (better-sqlite3, WAL): API keys (hashed) with their limits and spend, every
// job the gateway paid for until it has settled, and how far the chain has been scanned for the operator's jobs. A
// restart reads it back, so no paid job is forgotten and none is paid for twice.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

export type Store = { db: Database.Database; transaction<T>(fn: () => T): T; close(): void };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  -- payment-token units, decimal strings (amounts can exceed SQLite's 64-bit integers)
  spend_limit TEXT,
  spent TEXT NOT NULL DEFAULT '0',
  rate_per_minute INTEGER
);
CREATE TABLE IF NOT EXISTS jobs (
  job_id TEXT PRIMARY KEY,
  key_id TEXT,
  provider TEXT NOT NULL,
  max_cost TEXT NOT NULL,
  cost TEXT,
  state TEXT NOT NULL CHECK (state IN ('pending', 'settled')),
  status TEXT NOT NULL,
  create_tx TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  settled_at INTEGER
);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state);
-- A key's hold on an escrow before its job exists: 'waiting' in the send queue, 'sending' while its createJob is out
-- (one at a time). A restart matches a 'sending' hold to the job the scan adopts, and releases the rest.
CREATE TABLE IF NOT EXISTS holds (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key_id TEXT NOT NULL,
  provider TEXT NOT NULL,
  max_cost TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('waiting', 'sending'))
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

export function openStore({ path }: { path: string }): Store {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  // A job the chain has taken money for must survive a power cut once recorded.
  db.pragma("synchronous = FULL");
  db.exec(SCHEMA);
  return {
    db,
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    close: () => db.close(),
  };
}
