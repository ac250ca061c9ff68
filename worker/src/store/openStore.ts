/**
 * The worker's SQLite state (better-sqlite3, WAL, synchronous=NORMAL → FULL for durability of step changes).
 * Every write runs in a transaction; calls nest (inner ones become savepoints).
 *
 * API — `openStore({ path }): Store`, where Store has:
 *   transaction(fn)                                   run fn atomically (nested calls are savepoints)
 *   close()
 *   watcher state
 *     getCheckpoint(contract) / setCheckpoint(contract, { blockNumber, blockHash })
 *     rememberBlock(number, hash) / knownBlocks(atOrBelow, limit) / forgetBlocksAfter(number) / pruneBlocks(below)
 *     recordEvent(event): boolean                    false when (blockHash, logIndex) was already recorded
 *     markEventFailed(blockHash, logIndex, error)
 *     undoEventsAfter(blockNumber): StoredEvent[]    marks live events above the block 'removed', newest first
 *     getEvent(blockHash, logIndex) / eventsFrom(blockNumber)
 *   jobs
 *     createJob(jobId, data?): boolean               inserts in step 'seen'; false when it exists
 *     getJob(jobId) / jobsInStep(step) / countJobsByStep() / countJobsInSteps(steps)
 *     advanceJob(jobId, fromStep, toStep, { data?, reason? }): boolean
 *                                                    compare-and-set: false when the job is no longer in fromStep;
 *                                                    throws InvalidJobTransitionError for a move the machine forbids
 *     reopenJob(jobId, { data?, reason? }): boolean  a skipped job back to 'seen' (the market reopened it); false
 *                                                    when the job is not in 'skipped'
 *     jobHistory(jobId)
 *   transactions and nonces (used by the sender)
 *     recordTx(tx) / setTxStatus(hash, status, receipt?) / txsForIntent(intent) / pendingTxs(account)
 *     txsAtNonce(account, nonce) / highestNonce(account)   every transaction signed at a nonce; the highest nonce
 *       signed at, not counting dropped transactions (never broadcast, or their nonce was used by another)
 *     getNextNonce(account) / setNextNonce(account, nonce)
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { canAdvance, type JobStep } from "./jobSteps.ts";
import { parse, stringify } from "./json.ts";
import { MIGRATIONS } from "./migrations.ts";
import { InvalidJobTransitionError } from "./StoreError.ts";
import { fromKey, idKey } from "./jobIdKey.ts";

export type OpenStoreParameters = { path: string };

export type Checkpoint = { blockNumber: number; blockHash: string };

export type EventRecord = {
  blockHash: string;
  logIndex: number;
  blockNumber: number;
  txHash: string;
  contract: string;
  eventName: string;
  args: unknown;
};
export type StoredEvent = EventRecord & {
  status: "handled" | "failed" | "removed";
  error: string | null;
  handledAt: number;
  removedAt: number | null;
};

export type Job<TData = Record<string, unknown>> = {
  /** The market's job id; the store keeps it as text (`job_id`), converted here and in the queries' arguments only. */
  jobId: bigint;
  step: JobStep;
  reason: string | null;
  data: TData;
  version: number;
  createdAt: number;
  updatedAt: number;
};

export type TxStatus = "pending" | "mined" | "replaced" | "dropped" | "reverted";
export type TxRecord = {
  hash: string;
  intent: string;
  account: string;
  nonce: number;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  raw: string;
  status: TxStatus;
  blockNumber: number | null;
  gasUsed: bigint | null;
  effectiveGasPrice: bigint | null;
  createdAt: number;
};

export type Store = ReturnType<typeof openStore>;
export type OpenStoreReturnType = Store;

type EventRow = {
  block_hash: string;
  log_index: number;
  block_number: number;
  tx_hash: string;
  contract: string;
  event_name: string;
  args: string;
  status: StoredEvent["status"];
  error: string | null;
  handled_at: number;
  removed_at: number | null;
};
type JobRow = {
  job_id: string;
  step: JobStep;
  reason: string | null;
  data: string;
  version: number;
  created_at: number;
  updated_at: number;
};
type TxRow = {
  hash: string;
  intent: string;
  account: string;
  nonce: number;
  max_fee: string;
  max_priority: string;
  raw: string;
  status: TxStatus;
  block_number: number | null;
  gas_used: string | null;
  effective_price: string | null;
  created_at: number;
};

export function openStore({ path }: OpenStoreParameters) {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);

  const now = () => Date.now();
  const transaction = <T>(fn: () => T): T => db.transaction(fn)();

  const toEvent = (r: EventRow): StoredEvent => ({
    blockHash: r.block_hash,
    logIndex: r.log_index,
    blockNumber: r.block_number,
    txHash: r.tx_hash,
    contract: r.contract,
    eventName: r.event_name,
    args: parse(r.args),
    status: r.status,
    error: r.error,
    handledAt: r.handled_at,
    removedAt: r.removed_at,
  });
  const toJob = <T>(r: JobRow): Job<T> => ({
    jobId: fromKey(r.job_id),
    step: r.step,
    reason: r.reason,
    data: parse<T>(r.data),
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
  const toTx = (r: TxRow): TxRecord => ({
    hash: r.hash,
    intent: r.intent,
    account: r.account,
    nonce: r.nonce,
    maxFeePerGas: BigInt(r.max_fee),
    maxPriorityFeePerGas: BigInt(r.max_priority),
    raw: r.raw,
    status: r.status,
    blockNumber: r.block_number,
    gasUsed: r.gas_used === null ? null : BigInt(r.gas_used),
    effectiveGasPrice: r.effective_price === null ? null : BigInt(r.effective_price),
    createdAt: r.created_at,
  });

  const q = {
    getCheckpoint: db.prepare<[string], { block_number: number; block_hash: string }>(
      "SELECT block_number, block_hash FROM checkpoints WHERE contract = ?",
    ),
    setCheckpoint: db.prepare(
      `INSERT INTO checkpoints (contract, block_number, block_hash, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (contract) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash,
       updated_at = excluded.updated_at`,
    ),
    rememberBlock: db.prepare("INSERT OR REPLACE INTO block_hashes (block_number, block_hash) VALUES (?, ?)"),
    knownBlocks: db.prepare<[number, number, number, number], { block_number: number; block_hash: string }>(
      `SELECT block_number, block_hash FROM (
         SELECT block_number, block_hash FROM block_hashes WHERE block_number <= ?
         UNION SELECT block_number, block_hash FROM events WHERE block_number <= ? AND status != 'removed'
         UNION SELECT block_number, block_hash FROM checkpoints WHERE block_number <= ?
       ) ORDER BY block_number DESC LIMIT ?`,
    ),
    forgetBlocksAfter: db.prepare("DELETE FROM block_hashes WHERE block_number > ?"),
    pruneBlocks: db.prepare("DELETE FROM block_hashes WHERE block_number < ?"),
    getEvent: db.prepare<[string, number], EventRow>("SELECT * FROM events WHERE block_hash = ? AND log_index = ?"),
    insertEvent: db.prepare(
      `INSERT INTO events (block_hash, log_index, block_number, tx_hash, contract, event_name, args, status, handled_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'handled', ?)`,
    ),
    reviveEvent: db.prepare(
      `UPDATE events SET status = 'handled', error = NULL, removed_at = NULL, handled_at = ?
       WHERE block_hash = ? AND log_index = ? AND status = 'removed'`,
    ),
    failEvent: db.prepare(`UPDATE events SET status = 'failed', error = ? WHERE block_hash = ? AND log_index = ?`),
    liveEventsAfter: db.prepare<[number], EventRow>(
      `SELECT * FROM events WHERE block_number > ? AND status != 'removed' ORDER BY block_number DESC, log_index DESC`,
    ),
    removeEventsAfter: db.prepare(
      `UPDATE events SET status = 'removed', removed_at = ? WHERE block_number > ? AND status != 'removed'`,
    ),
    eventsFrom: db.prepare<[number], EventRow>(
      "SELECT * FROM events WHERE block_number >= ? ORDER BY block_number, log_index",
    ),
    insertJob: db.prepare(
      `INSERT INTO jobs (job_id, step, data, created_at, updated_at) VALUES (?, 'seen', ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    getJob: db.prepare<[string], JobRow>("SELECT * FROM jobs WHERE job_id = ?"),
    jobsInStep: db.prepare<[string], JobRow>("SELECT * FROM jobs WHERE step = ? ORDER BY created_at, job_id"),
    countJobs: db.prepare<[], { step: JobStep; n: number }>("SELECT step, COUNT(*) AS n FROM jobs GROUP BY step"),
    countJobsInStep: db.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM jobs WHERE step = ?"),
    casJob: db.prepare(
      `UPDATE jobs SET step = ?, reason = ?, data = ?, version = version + 1, updated_at = ? WHERE job_id = ? AND step = ?`,
    ),
    history: db.prepare("INSERT INTO job_history (job_id, from_step, to_step, reason, at) VALUES (?, ?, ?, ?, ?)"),
    getHistory: db.prepare<
      [string],
      { from_step: JobStep | null; to_step: JobStep; reason: string | null; at: number }
    >("SELECT from_step, to_step, reason, at FROM job_history WHERE job_id = ? ORDER BY rowid"),
    insertTx: db.prepare(
      `INSERT INTO txs (hash, intent, account, nonce, max_fee, max_priority, raw, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)
       ON CONFLICT (hash) DO UPDATE SET intent = excluded.intent, status = 'pending', created_at = excluded.created_at
       WHERE txs.status = 'dropped'`,
    ),
    setTxStatus: db.prepare(
      `UPDATE txs SET status = ?, block_number = COALESCE(?, block_number), gas_used = COALESCE(?, gas_used),
       effective_price = COALESCE(?, effective_price) WHERE hash = ?`,
    ),
    txsForIntent: db.prepare<[string], TxRow>("SELECT * FROM txs WHERE intent = ? ORDER BY created_at, rowid"),
    pendingTxs: db.prepare<[string], TxRow>(
      `SELECT * FROM txs WHERE account = ? AND status = 'pending' ORDER BY nonce, created_at, rowid`,
    ),
    txsAtNonce: db.prepare<[string, number], TxRow>(
      "SELECT * FROM txs WHERE account = ? AND nonce = ? ORDER BY created_at, rowid",
    ),
    highestNonce: db.prepare<[string], { nonce: number | null }>(
      `SELECT MAX(nonce) AS nonce FROM txs WHERE account = ? AND status != 'dropped'`,
    ),
    getNonce: db.prepare<[string], { next_nonce: number }>("SELECT next_nonce FROM nonces WHERE account = ?"),
    setNonce: db.prepare(
      `INSERT INTO nonces (account, next_nonce, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (account) DO UPDATE SET next_nonce = excluded.next_nonce, updated_at = excluded.updated_at`,
    ),
  };

  return {
    /** The open database, for reads the API does not cover. Write through the methods. */
    db,
    path,
    transaction,
    close(): void {
      if (db.open) db.close();
    },

    getCheckpoint(contract: string): Checkpoint | undefined {
      const row = q.getCheckpoint.get(contract.toLowerCase());
      return row && { blockNumber: row.block_number, blockHash: row.block_hash };
    },
    setCheckpoint(contract: string, { blockNumber, blockHash }: Checkpoint): void {
      q.setCheckpoint.run(contract.toLowerCase(), blockNumber, blockHash, now());
    },
    rememberBlock(blockNumber: number, blockHash: string): void {
      q.rememberBlock.run(blockNumber, blockHash);
    },
    /** Block hashes this worker has seen as canonical, newest first (from checkpoints, events and remembered blocks). */
    knownBlocks(atOrBelow: number, limit = 256): Checkpoint[] {
      return q.knownBlocks
        .all(atOrBelow, atOrBelow, atOrBelow, limit)
        .map((r) => ({ blockNumber: r.block_number, blockHash: r.block_hash }));
    },
    forgetBlocksAfter(blockNumber: number): void {
      q.forgetBlocksAfter.run(blockNumber);
    },
    pruneBlocks(below: number): void {
      q.pruneBlocks.run(below);
    },

    /** Records a log; returns false (and changes nothing) when it was already recorded and not removed since. */
    recordEvent(event: EventRecord): boolean {
      const existing = q.getEvent.get(event.blockHash, event.logIndex);
      if (existing) return q.reviveEvent.run(now(), event.blockHash, event.logIndex).changes === 1;
      q.insertEvent.run(
        event.blockHash,
        event.logIndex,
        event.blockNumber,
        event.txHash,
        event.contract.toLowerCase(),
        event.eventName,
        stringify(event.args),
        now(),
      );
      return true;
    },
    markEventFailed(blockHash: string, logIndex: number, error: string): void {
      q.failEvent.run(error, blockHash, logIndex);
    },
    getEvent(blockHash: string, logIndex: number): StoredEvent | undefined {
      const row = q.getEvent.get(blockHash, logIndex);
      return row && toEvent(row);
    },
    eventsFrom(blockNumber: number): StoredEvent[] {
      return q.eventsFrom.all(blockNumber).map(toEvent);
    },
    /** Marks every live event in blocks above `blockNumber` as removed and returns them, newest first. */
    undoEventsAfter(blockNumber: number): StoredEvent[] {
      return transaction(() => {
        const removed = q.liveEventsAfter.all(blockNumber).map(toEvent);
        const at = now();
        q.removeEventsAfter.run(at, blockNumber);
        return removed.map((e) => ({ ...e, status: "removed" as const, removedAt: at }));
      });
    },

    createJob(jobId: bigint, data: Record<string, unknown> = {}): boolean {
      const id = idKey(jobId);
      return transaction(() => {
        const t = now();
        const created = q.insertJob.run(id, stringify(data), t, t).changes === 1;
        if (created) q.history.run(id, null, "seen", null, t);
        return created;
      });
    },
    getJob<T = Record<string, unknown>>(jobId: bigint): Job<T> | undefined {
      const row = q.getJob.get(idKey(jobId));
      return row && toJob<T>(row);
    },
    jobsInStep<T = Record<string, unknown>>(step: JobStep): Job<T>[] {
      return q.jobsInStep.all(step).map((r) => toJob<T>(r));
    },
    countJobsByStep(): Partial<Record<JobStep, number>> {
      return Object.fromEntries(q.countJobs.all().map((r) => [r.step, r.n]));
    },
    /**
     * Jobs in any of `steps`, read through the step index: what the pipeline asks on every decision, so its cost
     * follows the live jobs, not every job the market ever announced (countJobsByStep scans them all).
     */
    countJobsInSteps(steps: readonly JobStep[]): number {
      return steps.reduce((sum, step) => sum + q.countJobsInStep.get(step)!.n, 0);
    },
    /**
     * Moves a job from `fromStep` to `toStep` if and only if it is still in `fromStep` (compare-and-set), merging
     * `data` into its data. Returns false when another path moved it first.
     */
    advanceJob(
      jobId: bigint,
      fromStep: JobStep,
      toStep: JobStep,
      { data, reason }: { data?: Record<string, unknown>; reason?: string } = {},
    ): boolean {
      const id = idKey(jobId);
      if (!canAdvance(fromStep, toStep)) throw new InvalidJobTransitionError({ jobId: id, from: fromStep, to: toStep });
      return transaction(() => {
        const row = q.getJob.get(id);
        if (!row || row.step !== fromStep) return false;
        const merged = data
          ? { ...parse<Record<string, unknown>>(row.data), ...data }
          : parse<Record<string, unknown>>(row.data);
        const t = now();
        const changed = q.casJob.run(toStep, reason ?? null, stringify(merged), t, id, fromStep).changes === 1;
        if (changed) q.history.run(id, fromStep, toStep, reason ?? null, t);
        return changed;
      });
    },
    /**
     * The one way out of an end: a job we skipped (named to another provider, claimed by one) that the market has
     * reopened (that provider handed it back as its own fault) is seen again, with `data` merged in. Only 'skipped':
     * a job we released, failed or finished is not ours to take again.
     */
    reopenJob(jobId: bigint, { data, reason }: { data?: Record<string, unknown>; reason?: string } = {}): boolean {
      const id = idKey(jobId);
      return transaction(() => {
        const row = q.getJob.get(id);
        if (!row || row.step !== "skipped") return false;
        const merged = { ...parse<Record<string, unknown>>(row.data), ...data };
        const t = now();
        const changed = q.casJob.run("seen", reason ?? null, stringify(merged), t, id, "skipped").changes === 1;
        if (changed) q.history.run(id, "skipped", "seen", reason ?? null, t);
        return changed;
      });
    },
    jobHistory(jobId: bigint) {
      return q.getHistory
        .all(idKey(jobId))
        .map((r) => ({ from: r.from_step, to: r.to_step, reason: r.reason, at: r.at }));
    },

    /**
     * Records a signed transaction as pending. The same signed bytes recorded before and dropped (never broadcast:
     * the account could not pay) are taken over by the new intent: the same call at the same nonce and fees signs to
     * the same hash, and it is this intent's now.
     */
    recordTx(
      tx: Pick<TxRecord, "hash" | "intent" | "account" | "nonce" | "maxFeePerGas" | "maxPriorityFeePerGas" | "raw">,
    ): void {
      q.insertTx.run(
        tx.hash,
        tx.intent,
        tx.account.toLowerCase(),
        tx.nonce,
        tx.maxFeePerGas.toString(),
        tx.maxPriorityFeePerGas.toString(),
        tx.raw,
        now(),
      );
    },
    setTxStatus(
      hash: string,
      status: TxStatus,
      receipt: { blockNumber?: bigint | number; gasUsed?: bigint; effectiveGasPrice?: bigint } = {},
    ): void {
      q.setTxStatus.run(
        status,
        receipt.blockNumber === undefined ? null : Number(receipt.blockNumber),
        receipt.gasUsed?.toString() ?? null,
        receipt.effectiveGasPrice?.toString() ?? null,
        hash,
      );
    },
    txsForIntent(intent: string): TxRecord[] {
      return q.txsForIntent.all(intent).map(toTx);
    },
    pendingTxs(account: string): TxRecord[] {
      return q.pendingTxs.all(account.toLowerCase()).map(toTx);
    },
    txsAtNonce(account: string, nonce: number): TxRecord[] {
      return q.txsAtNonce.all(account.toLowerCase(), nonce).map(toTx);
    },
    /** The highest nonce a transaction of `account` was signed at and not dropped; undefined when none. */
    highestNonce(account: string): number | undefined {
      return q.highestNonce.get(account.toLowerCase())?.nonce ?? undefined;
    },
    getNextNonce(account: string): number | undefined {
      return q.getNonce.get(account.toLowerCase())?.next_nonce;
    },
    setNextNonce(account: string, nonce: number): void {
      q.setNonce.run(account.toLowerCase(), nonce, now());
    },
  };
}

function migrate(db: Database.Database): void {
  db.exec(
    "CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
  );
  const applied = new Set(
    db
      .prepare<[], { version: number }>("SELECT version FROM migrations")
      .all()
      .map((r) => r.version),
  );
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare("INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
        m.version,
        m.name,
        Date.now(),
      );
    })();
  }
}
