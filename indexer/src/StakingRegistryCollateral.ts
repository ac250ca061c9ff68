// The StakingRegistry's collateral: locked from a provider's stake when it claims a job, unlocked when the job
// settles (ProviderSlashed, in StakingRegistry.ts, releases a slashed one).
import { ponder } from "ponder:registry";
import { collateralLock, provider } from "ponder:schema";
import { releaseLock } from "./lib/releaseLock.ts";

ponder.on("StakingRegistry:CollateralLocked", async ({ event, context }) => {
  const { provider: address, jobId, amount } = event.args;
  const values = { amount, active: true, release: null, lockedBlock: event.block.number, releasedBlock: null };
  await context.db
    .insert(collateralLock)
    .values({ jobId, provider: address, ...values })
    .onConflictDoUpdate(values);
  await context.db.update(provider, { address }).set((p) => ({ locked: p.locked + amount }));
});

ponder.on("StakingRegistry:CollateralUnlocked", async ({ event, context }) => {
  const { provider: address, jobId, amount } = event.args;
  await releaseLock(context.db, { jobId, provider: address }, "Unlocked", event.block.number);
  await context.db.update(provider, { address }).set((p) => ({ locked: p.locked - amount }));
});
