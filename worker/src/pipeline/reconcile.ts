// Reconciliation with the chain: when a step's transaction cannot go out (its simulation reverts) or its effect is
// gone (a reorg), the step reads the job from the market and these functions say what that reading means for us.
// They are pure: the steps read, decide here, then act.
import { JobStatus } from "@octo/sdk";
import { isAddressEqual, type Address } from "viem";

/** What the reconciliation needs of `JobMarket.getJob`. */
export type ChainJob = { status: number; provider: Address };

/**
 * The market holds the job as claimed by `me`. A claim of ours that was mined (before a restart, in a race our
 * simulation saw lost), a release the market refused because the job is still ours.
 */
export function isClaimedBy(job: ChainJob, me: Address): boolean {
  return job.status === JobStatus.Claimed && isAddressEqual(job.provider, me);
}

/** After a release failed: the job is still ours (keep it and look again), or the market has moved on (let it go). */
export function afterFailedRelease(job: ChainJob, me: Address): "still-ours" | "moved-on" {
  return isClaimedBy(job, me) ? "still-ours" : "moved-on";
}

/**
 * After a result (alone or in a batch) failed, job by job:
 *   - `submitted`: a result of ours is already on-chain (a transaction sent before a restart);
 *   - `alone`: still ours and claimed, and it went out in a batch: another job of the batch made it revert, so it is
 *     sent again on its own;
 *   - `claim-again`: the job is open again (a reorg removed our claim): claim it, then send the result again;
 *   - `failed`: another provider has it, or it ended.
 */
export function afterFailedSubmit(
  job: ChainJob,
  me: Address,
  batchSize: number,
): "submitted" | "alone" | "claim-again" | "failed" {
  const mine = isAddressEqual(job.provider, me);
  if (mine && job.status >= JobStatus.Submitted) return "submitted";
  if (mine && job.status === JobStatus.Claimed && batchSize > 1) return "alone";
  if (job.status === JobStatus.Open) return "claim-again";
  return "failed";
}

/**
 * A result we saw mined that the market no longer has (a reorg took it, and maybe our claim with it): `lost` when
 * another provider holds the job now; `claim-again` (then submit) when it is open; else `submit` again.
 */
export function afterResultReorged(job: ChainJob, me: Address): "lost" | "claim-again" | "submit" {
  if (job.status === JobStatus.Open) return "claim-again";
  if (!isAddressEqual(job.provider, me)) return "lost";
  return "submit";
}
