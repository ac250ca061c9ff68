// submitted → finalizing → done, once the challenge window has passed (anyone may finalize; we do it for our pay).
// Meanwhile a verifiable result's sample coin is read as soon as it can be, and a sampled result's committee drawn
// (sampleSteps.ts): the result cannot be finalized before its coin is read.
// A result that a reorg took off the chain goes back to `submitting` (and its claim is sent again first if needed).
import { JobStatus } from "@octo/sdk";
import { marketCallAbi } from "../chain/abis.ts";
import { SimulationRevertedError } from "../sender/SenderError.ts";
import { sendClaim } from "./claimStep.ts";
import type { JobData, LiveJob } from "./jobData.ts";
import type { PipelineContext } from "./pipelineContext.ts";
import { afterResultReorged } from "./reconcile.ts";
import { drawOwnSample, readOwnSampleCoin } from "./sampleSteps.ts";

export async function finalizeStep(ctx: PipelineContext, job: LiveJob): Promise<void> {
  const { sender, market, me, logger, store } = ctx.p;
  const onchain = await ctx.onChain(job.jobId);
  if (onchain.status === JobStatus.Disputed) return void (await drawOwnSample(ctx, job));
  if (job.step === "submitted" && onchain.status < JobStatus.Submitted) {
    // A reorg took our result off the chain after we saw it mined, and maybe our claim with it. Put them back in
    // nonce order: the claim's signed transaction first (its intent re-sends it), then the result, which the
    // submit step re-sends under its own intent. A job another provider now holds is lost to us.
    const next = afterResultReorged(onchain, me);
    if (next === "lost")
      return void ctx.advance(job, "failed", { reason: "after a reorg the job is claimed by another provider" });
    if (next === "claim-again") await sendClaim(ctx, job.jobId);
    logger.warn({ jobId: job.jobId }, "result was reorged out; submitting it again");
    return void ctx.advance(job, "submitting");
  }
  if (job.step === "submitted") {
    // A coin being read, or just read (the job may be Disputed now): the next tick sees where it stands.
    if (onchain.status === JobStatus.Submitted && (await readOwnSampleCoin(ctx, job)) !== "none") return;
    if (onchain.status === JobStatus.Submitted && (await ctx.chainTime()) < Number(onchain.windowEnd)) return;
    if (!ctx.advance(job, "finalizing")) return;
    job = { ...job, step: "finalizing" };
  }
  if (onchain.status !== JobStatus.Finalized) {
    try {
      await sender.send({
        intent: `job:${job.jobId}:finalize`,
        address: market,
        abi: marketCallAbi,
        functionName: "finalize",
        args: [job.jobId],
      });
    } catch (e) {
      if (!(e instanceof SimulationRevertedError)) throw e;
      const now = await ctx.onChain(job.jobId);
      if (now.status !== JobStatus.Finalized) throw e;
    }
  }
  // JobFinalized's handler may have moved it already (with the paid amount).
  const current = store.getJob<JobData>(job.jobId);
  if (current?.step === "finalizing") ctx.advance(current, "done");
}
