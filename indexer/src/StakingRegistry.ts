// The StakingRegistry: providers' registration, settings, stake, offers, slashes and recorded outcomes (the
// registry's reputation counters).
import { ponder } from "ponder:registry";
import { offer, provider } from "ponder:schema";
import { Outcome } from "@octo/sdk";
import { releaseLock } from "./lib/releaseLock.ts";

ponder.on("StakingRegistry:ProviderRegistered", async ({ event, context }) => {
  const { provider: address, tier, encryptionKey, metadataURI } = event.args;
  await context.db.insert(provider).values({
    address,
    tier,
    encryptionKey,
    metadataURI,
    accepting: false,
    stake: 0n,
    unbonding: 0n,
    completed: 0,
    timedOut: 0,
    disputed: 0,
    slashed: 0,
    released: 0,
    missedVotes: 0,
    slashedAmount: 0n,
    jobsClaimed: 0,
    tokens: 0n,
    earned: 0n,
    locked: 0n,
    registeredBlock: event.block.number,
    registeredAt: event.block.timestamp,
  });
});

ponder.on("StakingRegistry:ProviderTierChanged", async ({ event, context }) => {
  await context.db.update(provider, { address: event.args.provider }).set({ tier: event.args.newTier });
});

ponder.on("StakingRegistry:EncryptionKeyChanged", async ({ event, context }) => {
  await context.db.update(provider, { address: event.args.provider }).set({ encryptionKey: event.args.encryptionKey });
});

ponder.on("StakingRegistry:MetadataURIChanged", async ({ event, context }) => {
  await context.db.update(provider, { address: event.args.provider }).set({ metadataURI: event.args.metadataURI });
});

ponder.on("StakingRegistry:AcceptingChanged", async ({ event, context }) => {
  await context.db.update(provider, { address: event.args.provider }).set({ accepting: event.args.accepting });
});

ponder.on("StakingRegistry:Staked", async ({ event, context }) => {
  await context.db.update(provider, { address: event.args.provider }).set({ stake: event.args.newStake });
});

ponder.on("StakingRegistry:UnbondRequested", async ({ event, context }) => {
  const { provider: address, amount, totalUnbonding } = event.args;
  await context.db.update(provider, { address }).set((p) => ({ stake: p.stake - amount, unbonding: totalUnbonding }));
});

ponder.on("StakingRegistry:Withdrawn", async ({ event, context }) => {
  const { provider: address, amount } = event.args;
  await context.db.update(provider, { address }).set((p) => ({ unbonding: p.unbonding - amount }));
});

ponder.on("StakingRegistry:ProviderSlashed", async ({ event, context }) => {
  const { provider: address, jobId, amount } = event.args;
  // A slash releases the job's whole locked collateral (and takes `amount` of it from the stake).
  const lock = await releaseLock(context.db, { jobId, provider: address }, "Slashed", event.block.number);
  await context.db.update(provider, { address }).set((p) => ({
    stake: p.stake - amount,
    slashed: p.slashed + 1,
    slashedAmount: p.slashedAmount + amount,
    locked: p.locked - lock,
  }));
});

ponder.on("StakingRegistry:OutcomeRecorded", async ({ event, context }) => {
  const { provider: address, outcome } = event.args;
  await context.db.update(provider, { address }).set((p) => {
    switch (outcome) {
      case Outcome.Completed:
        return { completed: p.completed + 1 };
      case Outcome.TimedOut:
        return { timedOut: p.timedOut + 1 };
      case Outcome.Disputed:
        return { disputed: p.disputed + 1 };
      case Outcome.Slashed:
        // The registry counts a slash when it slashes (ProviderSlashed), whatever the outcome it records with it.
        return {};
      case Outcome.Released:
        return { released: p.released + 1 };
      case Outcome.VoteMissed:
        return { missedVotes: p.missedVotes + 1 };
      default:
        throw new Error(`OutcomeRecorded: unknown outcome ${outcome} (the ABI has a member the indexer does not)`);
    }
  });
});

ponder.on("StakingRegistry:OfferSet", async ({ event, context }) => {
  const {
    provider: address,
    modelId,
    paymentToken,
    pricePerToken,
    maxContext,
    capacity,
    determinismClass,
  } = event.args;
  const values = {
    pricePerToken,
    maxContext,
    capacity,
    determinismClass,
    active: true,
    updatedBlock: event.block.number,
  };
  await context.db
    .insert(offer)
    .values({ provider: address, modelId, paymentToken, ...values })
    .onConflictDoUpdate(values);
});

ponder.on("StakingRegistry:OfferRemoved", async ({ event, context }) => {
  const { provider: address, modelId, paymentToken } = event.args;
  await context.db
    .update(offer, { provider: address, modelId, paymentToken })
    .set({ active: false, updatedBlock: event.block.number });
});
