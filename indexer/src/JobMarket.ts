// The JobMarket's job lifecycle: creation, claim, key delivery, release, result, settlement. One handler per event;
// each updates the job, records the step, and adds to the totals of the provider, the model and the day.
import { ponder } from "ponder:registry";
import { job, model, provider, receipt } from "ponder:schema";
import { ReleaseReason, ReleaseReasonNames } from "@octo/sdk";
import { zeroAddress } from "viem";
import { addDailyTotals } from "./lib/addDailyTotals.ts";
import { recordStep } from "./lib/recordStep.ts";
import { updateJob } from "./lib/updateJob.ts";
import { requireJob } from "./lib/requireJob.ts";

ponder.on("JobMarket:JobCreated", async ({ event, context }) => {
  const { jobId, user, request, escrow, inputHash } = event.args;
  await context.db.insert(job).values({
    id: jobId,
    user,
    modelId: request.modelId,
    paymentToken: request.paymentToken,
    namedProvider: request.provider === zeroAddress ? null : request.provider,
    provider: null,
    status: "Open",
    maxOutputTokens: request.maxOutputTokens,
    maxPricePerToken: request.maxPricePerToken,
    minTier: request.minTier,
    verifiable: request.verifiable,
    deadline: BigInt(request.deadline),
    escrow,
    inputHash,
    keyCommitment: request.keyCommitment,
    keyDelivered: false,
    releases: 0,
    createdBlock: event.block.number,
    createdTx: event.transaction.hash,
    createdAt: event.block.timestamp,
    updatedBlock: event.block.number,
    updatedAt: event.block.timestamp,
  });
  await recordStep(context.db, event, jobId, "JobCreated", user);
  // A job may name a model the registry does not list (the market checks it only at claim).
  const listed = await context.db.find(model, { id: request.modelId });
  if (listed) await context.db.update(model, { id: request.modelId }).set((m) => ({ jobs: m.jobs + 1 }));
  await addDailyTotals(context.db, event, request.paymentToken, { jobsCreated: 1 });
});

ponder.on("JobMarket:JobClaimed", async ({ event, context }) => {
  const { jobId, provider: claimant, pricePerToken, collateral } = event.args;
  await updateJob(context.db, event, jobId, { status: "Claimed", provider: claimant, pricePerToken, collateral });
  await context.db.update(provider, { address: claimant }).set((p) => ({ jobsClaimed: p.jobsClaimed + 1 }));
  await recordStep(context.db, event, jobId, "JobClaimed", claimant);
});

ponder.on("JobMarket:JobKeyDelivered", async ({ event, context }) => {
  const { jobId } = event.args;
  const row = await requireJob(context.db, jobId);
  await updateJob(context.db, event, jobId, { keyDelivered: true });
  await recordStep(context.db, event, jobId, "JobKeyDelivered", row.user);
});

ponder.on("JobMarket:JobReleased", async ({ event, context }) => {
  const { jobId, provider: releaser, reason, refund } = event.args;
  const row = await requireJob(context.db, jobId);
  const releases = row.releases + 1;
  // The market's rule (JobMarket.releaseJob, timeoutJob): a missing key or a named job ends in a refund; any other
  // release reopens an open job for anyone, with its claim and key undone.
  if (reason === ReleaseReason.KeyNotDelivered || row.namedProvider !== null) {
    await updateJob(context.db, event, jobId, { releases, status: "Refunded", refundAmount: refund });
    await addDailyTotals(context.db, event, row.paymentToken, { jobsRefunded: 1, refunds: refund });
  } else {
    await updateJob(context.db, event, jobId, {
      releases,
      status: "Open",
      provider: null,
      pricePerToken: null,
      collateral: null,
      keyDelivered: false,
    });
  }
  await recordStep(context.db, event, jobId, `JobReleased:${ReleaseReasonNames[reason] ?? reason}`, releaser);
});

ponder.on("JobMarket:ResultSubmitted", async ({ event, context }) => {
  const {
    jobId,
    provider: submitter,
    outputRoot,
    ciphertextHash,
    tokenCount,
    byteLength,
    challengeEnd,
    chunks,
    ciphertext,
    ciphertextURI,
  } = event.args;
  await updateJob(context.db, event, jobId, { status: "Submitted", tokenCount });
  await context.db.insert(receipt).values({
    jobId,
    provider: submitter,
    outputRoot,
    ciphertextHash,
    tokenCount,
    byteLength,
    challengeEnd: BigInt(challengeEnd),
    chunkCount: chunks.length,
    chunks: chunks.map((c) => ({
      outputCommitment: c.outputCommitment.toString(),
      byteLength: c.byteLength,
      tokenCount: c.tokenCount,
    })),
    ciphertextElements: ciphertext.length,
    ciphertextURI,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
    timestamp: event.block.timestamp,
  });
  await recordStep(context.db, event, jobId, "ResultSubmitted", submitter);
});

ponder.on("JobMarket:JobFinalized", async ({ event, context }) => {
  const { jobId, provider: payee, tokenCount, providerAmount, feeAmount, refundAmount } = event.args;
  const row = await requireJob(context.db, jobId);
  await updateJob(context.db, event, jobId, {
    status: "Finalized",
    tokenCount,
    providerAmount,
    feeAmount,
    refundAmount,
  });
  await context.db
    .update(provider, { address: payee })
    .set((p) => ({ tokens: p.tokens + tokenCount, earned: p.earned + providerAmount }));
  const listed = await context.db.find(model, { id: row.modelId });
  if (listed) {
    await context.db
      .update(model, { id: row.modelId })
      .set((m) => ({ tokens: m.tokens + tokenCount, volume: m.volume + providerAmount + feeAmount }));
  }
  await addDailyTotals(context.db, event, row.paymentToken, {
    jobsFinalized: 1,
    tokens: tokenCount,
    volume: providerAmount + feeAmount,
    fees: feeAmount,
    refunds: refundAmount,
  });
  await recordStep(context.db, event, jobId, "JobFinalized", payee);
});

ponder.on("JobMarket:JobCancelled", async ({ event, context }) => {
  const { jobId, user, refund } = event.args;
  const row = await requireJob(context.db, jobId);
  await updateJob(context.db, event, jobId, { status: "Cancelled", refundAmount: refund });
  await addDailyTotals(context.db, event, row.paymentToken, { jobsCancelled: 1, refunds: refund });
  await recordStep(context.db, event, jobId, "JobCancelled", user);
});

ponder.on("JobMarket:JobTimedOut", async ({ event, context }) => {
  const { jobId, provider: late, refund, collateralSlashed } = event.args;
  const row = await requireJob(context.db, jobId);
  await updateJob(context.db, event, jobId, { status: "TimedOut", refundAmount: refund, collateralSlashed });
  await addDailyTotals(context.db, event, row.paymentToken, { jobsTimedOut: 1, refunds: refund });
  await recordStep(context.db, event, jobId, "JobTimedOut", late);
});

ponder.on("JobMarket:ConsumerNotified", async ({ event, context }) => {
  await recordStep(context.db, event, event.args.jobId, "ConsumerNotified", event.args.consumer);
});
