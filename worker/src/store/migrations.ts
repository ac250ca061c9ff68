/** Schema versions, applied in order inside one transaction each; `migrations` records what ran. Append only. */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: "initial",
    sql: `
      CREATE TABLE checkpoints (
        contract     TEXT PRIMARY KEY,          -- lower-case address
        block_number INTEGER NOT NULL,          -- last block whose logs are fully processed
        block_hash   TEXT NOT NULL,
        updated_at   INTEGER NOT NULL
      );
      CREATE TABLE block_hashes (               -- hashes of processed blocks, to find the common ancestor on a reorg
        block_number INTEGER PRIMARY KEY,
        block_hash   TEXT NOT NULL
      );
      CREATE TABLE events (
        block_hash   TEXT NOT NULL,
        log_index    INTEGER NOT NULL,
        block_number INTEGER NOT NULL,
        tx_hash      TEXT NOT NULL,
        contract     TEXT NOT NULL,
        event_name   TEXT NOT NULL,
        args         TEXT NOT NULL,             -- JSON (bigint-safe)
        status       TEXT NOT NULL CHECK (status IN ('handled', 'failed', 'removed')),
        error        TEXT,
        handled_at   INTEGER NOT NULL,
        removed_at   INTEGER,
        PRIMARY KEY (block_hash, log_index)
      );
      CREATE INDEX events_by_block ON events (block_number, log_index);
      CREATE TABLE jobs (
        job_id     TEXT PRIMARY KEY,            -- uint256 as decimal
        step       TEXT NOT NULL,
        reason     TEXT,
        data       TEXT NOT NULL DEFAULT '{}',  -- JSON (bigint-safe), merged on every advance
        version    INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX jobs_by_step ON jobs (step);
      CREATE TABLE job_history (
        job_id    TEXT NOT NULL,
        from_step TEXT,
        to_step   TEXT NOT NULL,
        reason    TEXT,
        at        INTEGER NOT NULL
      );
      CREATE INDEX job_history_by_job ON job_history (job_id);
      CREATE TABLE txs (
        hash            TEXT PRIMARY KEY,
        intent          TEXT NOT NULL,          -- idempotency key, e.g. "job:7:claim"
        account         TEXT NOT NULL,
        nonce           INTEGER NOT NULL,
        max_fee         TEXT NOT NULL,
        max_priority    TEXT NOT NULL,
        raw             TEXT NOT NULL,          -- signed, so a restart can re-broadcast
        status          TEXT NOT NULL CHECK (status IN ('pending', 'mined', 'replaced', 'dropped', 'reverted')),
        block_number    INTEGER,
        gas_used        TEXT,
        effective_price TEXT,
        created_at      INTEGER NOT NULL
      );
      CREATE INDEX txs_by_intent ON txs (intent);
      CREATE INDEX txs_by_account ON txs (account, status);
      CREATE TABLE nonces (
        account    TEXT PRIMARY KEY,
        next_nonce INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: "dispute duties",
    sql: `
      CREATE TABLE dispute_duties (             -- what this provider owes a disputed job: a reveal or a vote
        job_id     TEXT PRIMARY KEY,            -- uint256 as decimal
        role       TEXT NOT NULL CHECK (role IN ('accused', 'member')),
        step       TEXT NOT NULL CHECK (step IN ('open', 'acted', 'closed')),
        reason     TEXT,
        data       TEXT NOT NULL DEFAULT '{}',  -- JSON (bigint-safe), merged on every advance
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX dispute_duties_by_step ON dispute_duties (step);
    `,
  },
  {
    version: 3,
    name: "transactions by nonce",
    // The sender looks up what it signed at a nonce (a gap to fill, a nonce used by another of its transactions).
    sql: "CREATE INDEX txs_by_account_nonce ON txs (account, nonce);",
  },
];
