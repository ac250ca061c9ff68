// Every job the gateway paid for, from the moment its creation is mined until it settles: who it was for (the API
// key charged with its escrow), what it may cost, and what it finally cost. A pending job is watched to the end by
// the settler, across restarts.
import type { Address, Hash } from "viem";
import type { Store } from "../store/openStore.ts";

export type LedgerJob = {
  jobId: bigint;
  keyId: string | undefined;
  provider: Address;
  maxCost: bigint;
  cost: bigint | undefined;
  state: "pending" | "settled";
  status: string;
  createTx: Hash;
};

type Row = {
  job_id: string;
  key_id: string | null;
  provider: string;
  max_cost: string;
  cost: string | null;
  state: "pending" | "settled";
  status: string;
  create_tx: string;
};
const fromRow = (r: Row): LedgerJob => ({
  jobId: BigInt(r.job_id),
  keyId: r.key_id ?? undefined,
  provider: r.provider as Address,
  maxCost: BigInt(r.max_cost),
  cost: r.cost === null ? undefined : BigInt(r.cost),
  state: r.state,
  status: r.status,
  createTx: r.create_tx as Hash,
});

/** Records a newly created job; false when it was recorded already (found again by the scan after a restart). */
export function recordJob(
  store: Store,
  job: Pick<LedgerJob, "jobId" | "keyId" | "provider" | "maxCost" | "createTx">,
): boolean {
  const result = store.db
    .prepare(
      "INSERT OR IGNORE INTO jobs (job_id, key_id, provider, max_cost, state, status, create_tx, created_at) VALUES (?, ?, ?, ?, 'pending', 'Open', ?, ?)",
    )
    .run(job.jobId.toString(), job.keyId ?? null, job.provider, job.maxCost.toString(), job.createTx, Date.now());
  return result.changes === 1;
}

export function getLedgerJob(store: Store, jobId: bigint): LedgerJob | undefined {
  const row = store.db.prepare("SELECT * FROM jobs WHERE job_id = ?").get(jobId.toString()) as Row | undefined;
  return row && fromRow(row);
}

export function pendingJobs(store: Store): LedgerJob[] {
  return (
    store.db.prepare("SELECT * FROM jobs WHERE state = 'pending' ORDER BY CAST(job_id AS INTEGER)").all() as Row[]
  ).map(fromRow);
}

export function setJobStatus(store: Store, jobId: bigint, status: string): void {
  store.db.prepare("UPDATE jobs SET status = ? WHERE job_id = ?").run(status, jobId.toString());
}

/** Marks a job settled at its final cost; false when it was settled already (so its key is refunded only once). */
export function settleJob(store: Store, jobId: bigint, status: string, cost: bigint): boolean {
  return (
    store.db
      .prepare(
        "UPDATE jobs SET state = 'settled', status = ?, cost = ?, settled_at = ? WHERE job_id = ? AND state = 'pending'",
      )
      .run(status, cost.toString(), Date.now(), jobId.toString()).changes === 1
  );
}

export function getMeta(store: Store, key: string): string | undefined {
  return (store.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined)?.value;
}
export function setMeta(store: Store, key: string, value: string): void {
  store.db
    .prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
    .run(key, value);
}
