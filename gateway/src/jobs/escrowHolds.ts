// A request's escrow, charged to its API key before the job exists. The hold becomes the job's charge once the job is
// recorded; if the gateway dies first, the restart either finds the job on-chain (the hold goes to it: the operator's
// transactions go out one at a time, so at most one hold is 'sending' when the process dies) or releases the hold.
import type { Address } from "viem";
import { chargeApiKey, refundApiKey } from "../keys/apiKeys.ts";
import type { Store } from "../store/openStore.ts";
import { recordJob, type LedgerJob } from "./jobLedger.ts";

type HoldRow = { id: number; key_id: string; provider: string; max_cost: string; state: "waiting" | "sending" };

/** Charges the key (402 past its limit) and holds the amount for a job about to be created. */
export function holdEscrow(
  store: Store,
  { keyId, provider, maxCost }: { keyId: string; provider: Address; maxCost: bigint },
): number {
  return store.transaction(() => {
    chargeApiKey(store, keyId, maxCost);
    return Number(
      store.db
        .prepare("INSERT INTO holds (key_id, provider, max_cost, state) VALUES (?, ?, ?, 'waiting')")
        .run(keyId, provider.toLowerCase(), maxCost.toString()).lastInsertRowid,
    );
  });
}

export function markHoldSending(store: Store, holdId: number): void {
  store.db.prepare("UPDATE holds SET state = 'sending' WHERE id = ?").run(holdId);
}

/** The job exists: it is recorded with the key's charge, and the hold is gone. */
export function convertHold(
  store: Store,
  holdId: number,
  job: Pick<LedgerJob, "jobId" | "keyId" | "provider" | "maxCost" | "createTx">,
): void {
  store.transaction(() => {
    recordJob(store, job);
    store.db.prepare("DELETE FROM holds WHERE id = ?").run(holdId);
  });
}

/** No job came of it: the key gets the amount back. */
export function releaseHold(store: Store, holdId: number): void {
  store.transaction(() => {
    const row = store.db.prepare("SELECT * FROM holds WHERE id = ?").get(holdId) as HoldRow | undefined;
    if (!row) return;
    refundApiKey(store, row.key_id, BigInt(row.max_cost));
    store.db.prepare("DELETE FROM holds WHERE id = ?").run(holdId);
  });
}

/** After a restart: the job adopted from the chain takes the 'sending' hold that matches it (its key is charged). */
export function attachSendingHold(
  store: Store,
  job: { jobId: bigint; provider: Address; maxCost: bigint },
): string | undefined {
  return store.transaction(() => {
    const row = store.db
      .prepare("SELECT * FROM holds WHERE state = 'sending' AND provider = ? AND max_cost = ? ORDER BY id LIMIT 1")
      .get(job.provider.toLowerCase(), job.maxCost.toString()) as HoldRow | undefined;
    if (!row) return undefined;
    store.db.prepare("UPDATE jobs SET key_id = ? WHERE job_id = ?").run(row.key_id, job.jobId.toString());
    store.db.prepare("DELETE FROM holds WHERE id = ?").run(row.id);
    return row.key_id;
  });
}

/** After a restart (no request is alive): every hold left had no job; each key gets its amount back. */
export function releaseAllHolds(store: Store): number {
  const rows = store.db.prepare("SELECT id FROM holds").all() as { id: number }[];
  for (const { id } of rows) releaseHold(store, id);
  return rows.length;
}
