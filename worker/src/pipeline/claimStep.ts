// claiming → claimed | skipped: the one place a job is claimed (`claimJob`).
//   - `claimStep(ctx, job)` is the step: send the claim; when it cannot go out, ask the market whose the job is.
//   - `sendClaim(ctx, jobId)` sends the claim under its one intent (`job:<id>:claim`); the submit and finalize steps
//     call it too, to put back a claim a reorg removed (the sender re-broadcasts the same signed transaction).
//   - `claimOutcome(onchain, me)` is the decision "the market already holds this job as claimed by us → go on to
//     generating" (pure). A job that names us is claimed by its creation: the step sends nothing for it.
import type { Address } from "viem";
import { marketCallAbi } from "../chain/abis.ts";
import { SimulationRevertedError, TxRevertedError } from "../sender/SenderError.ts";
import type { LiveJob } from "./jobData.ts";
import type { PipelineContext } from "./pipelineContext.ts";
import { isClaimedBy, type ChainJob } from "./reconcile.ts";

/** A job the market holds as claimed by us is ours to serve (`claimed`, then generating); any other is lost to us. */
export function claimOutcome(onchain: ChainJob, me: Address): "claimed" | "skipped" {
  return isClaimedBy(onchain, me) ? "claimed" : "skipped";
}

/** Sends (or re-attaches to) the job's claim transaction. */
export function sendClaim(ctx: Pick<PipelineContext, "p">, jobId: bigint) {
  const { sender, market } = ctx.p;
  return sender.send({
    intent: `job:${jobId}:claim`,
    address: market,
    abi: marketCallAbi,
    functionName: "claimJob",
    args: [jobId],
  });
}

export async function claimStep(ctx: PipelineContext, job: LiveJob): Promise<void> {
  // A job that names us was claimed by its own creation: nothing to send. Its generation may already be running
  // (started at the decision); after a restart it starts here.
  if (ctx.namesMe(job)) {
    ctx.generations.speculate(job, ctx.engineOf(job.data.modelId));
    return void ctx.advance(job, "claimed");
  }
  try {
    await sendClaim(ctx, job.jobId);
  } catch (e) {
    if (!(e instanceof SimulationRevertedError || e instanceof TxRevertedError)) throw e;
    // Lost the race, or the job changed: if it is ours anyway (a pre-restart claim), carry on.
    if (claimOutcome(await ctx.onChain(job.jobId), ctx.p.me) === "claimed") return void ctx.advance(job, "claimed");
    return void ctx.advance(job, "skipped", {
      reason: `claim failed: ${e instanceof SimulationRevertedError ? e.formatted : e.message}`,
    });
  }
  ctx.advance(job, "claimed");
}
