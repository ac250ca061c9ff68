// The JobMarket's disputes: a result's sample coin, opening, the committee's draw and votes, the secret's reveal, a
// proven ciphertext mismatch, and the slash that ends a lost dispute or a proven fraud.
import { ponder } from "ponder:registry";
import { dispute, model, vote } from "ponder:schema";
import { addDailyTotals } from "./lib/addDailyTotals.ts";
import { recordStep } from "./lib/recordStep.ts";
import { updateJob } from "./lib/updateJob.ts";
import { requireJob } from "./lib/requireJob.ts";

// A verifiable result's sample coin: committed at submission, read later (a sampled read is followed by DisputeOpened
// with no disputer). Both are steps of the job's history; the submitter is the one that committed it.
ponder.on("JobMarket:SampleCoinCommitted", async ({ event, context }) => {
  await recordStep(context.db, event, event.args.jobId, "SampleCoinCommitted", event.transaction.from);
});

ponder.on("JobMarket:SampleCoinRead", async ({ event, context }) => {
  await recordStep(context.db, event, event.args.jobId, "SampleCoinRead", event.transaction.from);
});

ponder.on("JobMarket:DisputeOpened", async ({ event, context }) => {
  const { jobId, disputer, drawBlock } = event.args;
  const row = await requireJob(context.db, jobId);
  await updateJob(context.db, event, jobId, { status: "Disputed" });
  await context.db
    .insert(dispute)
    .values({
      jobId,
      disputer,
      drawBlock,
      faultVotes: 0,
      cleanVotes: 0,
      openedBlock: event.block.number,
      openedTx: event.transaction.hash,
      openedAt: event.block.timestamp,
    })
    // A ciphertext mismatch may have been proven first (it creates the row); the dispute then fills it in.
    .onConflictDoUpdate({ disputer, drawBlock });
  const listed = await context.db.find(model, { id: row.modelId });
  if (listed) await context.db.update(model, { id: row.modelId }).set((m) => ({ disputes: m.disputes + 1 }));
  await addDailyTotals(context.db, event, row.paymentToken, { disputes: 1 });
  await recordStep(context.db, event, jobId, "DisputeOpened", disputer);
});

ponder.on("JobMarket:JobDisputed", async ({ event, context }) => {
  const { jobId, disputer, committee, disputeEnd } = event.args;
  await context.db.update(dispute, { jobId }).set({ committee: [...committee], disputeEnd: BigInt(disputeEnd) });
  await recordStep(context.db, event, jobId, "JobDisputed", disputer);
});

ponder.on("JobMarket:DisputeVoted", async ({ event, context }) => {
  const { jobId, validator, providerAtFault } = event.args;
  await context.db.insert(vote).values({
    jobId,
    validator,
    providerAtFault,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
    timestamp: event.block.timestamp,
  });
  await context.db
    .update(dispute, { jobId })
    .set((d) => (providerAtFault ? { faultVotes: d.faultVotes + 1 } : { cleanVotes: d.cleanVotes + 1 }));
  await recordStep(context.db, event, jobId, "DisputeVoted", validator);
});

ponder.on("JobMarket:JobSecretRevealed", async ({ event, context }) => {
  await recordStep(context.db, event, event.args.jobId, "JobSecretRevealed", event.args.revealer);
});

ponder.on("JobMarket:CiphertextMismatchProven", async ({ event, context }) => {
  const { jobId, chunkIndex } = event.args;
  await context.db
    .insert(dispute)
    .values({
      jobId,
      faultVotes: 0,
      cleanVotes: 0,
      fraudChunk: chunkIndex,
      openedBlock: event.block.number,
      openedTx: event.transaction.hash,
      openedAt: event.block.timestamp,
    })
    .onConflictDoUpdate({ fraudChunk: chunkIndex });
  await recordStep(context.db, event, jobId, "CiphertextMismatchProven", null);
});

ponder.on("JobMarket:JobSlashed", async ({ event, context }) => {
  const { jobId, provider: slashed, refund, collateralSlashed } = event.args;
  const row = await requireJob(context.db, jobId);
  await updateJob(context.db, event, jobId, { status: "Slashed", refundAmount: refund, collateralSlashed });
  const listed = await context.db.find(model, { id: row.modelId });
  if (listed) await context.db.update(model, { id: row.modelId }).set((m) => ({ slashes: m.slashes + 1 }));
  await addDailyTotals(context.db, event, row.paymentToken, { jobsSlashed: 1, refunds: refund });
  await recordStep(context.db, event, jobId, "JobSlashed", slashed);
});
