// Ends a job's collateral lock (unlocked at settlement, or slashed) and returns the amount it held.
import type { Context } from "ponder:registry";
import { collateralLock } from "ponder:schema";

export async function releaseLock(
  db: Context["db"],
  key: { jobId: bigint; provider: `0x${string}` },
  release: "Unlocked" | "Slashed",
  blockNumber: bigint,
): Promise<bigint> {
  const lock = await db.find(collateralLock, key);
  if (!lock?.active) throw new Error(`${release}: job ${key.jobId} has no collateral locked by ${key.provider}`);
  await db.update(collateralLock, key).set({ active: false, release, releasedBlock: blockNumber });
  return lock.amount;
}
