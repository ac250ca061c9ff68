// proved → submitting → submitted, for every job proven so far, in one transaction (`submitResults`, one batch
// verification) where there are several. A batch that cannot go out is reconciled job by job with the chain.
import { marketCallAbi } from "../chain/abis.ts";
import { SimulationRevertedError, TxRevertedError } from "../sender/SenderError.ts";
import { sendClaim } from "./claimStep.ts";
import type { LiveJob } from "./jobData.ts";
import type { PipelineContext } from "./pipelineContext.ts";
import { afterFailedSubmit } from "./reconcile.ts";
import { proofsOf, resultOf } from "./resultArgs.ts";

export async function submitStep(ctx: PipelineContext, jobs: LiveJob[]): Promise<void> {
  const { sender, market, me, logger } = ctx.p;
  const intent = jobs[0]!.data.submitIntent ?? `submit:${jobs.map((j) => j.jobId).join(",")}`;
  const group = jobs.filter((j) =>
    j.step === "proved" ? ctx.advance(j, "submitting", { data: { submitIntent: intent } }) : true,
  );
  if (group.length === 0) return;
  try {
    const sent =
      group.length === 1
        ? await sender.send({
            intent,
            address: market,
            abi: marketCallAbi,
            functionName: "submitResult",
            args: [group[0]!.jobId, resultOf(group[0]!.data), proofsOf(group[0]!.data)],
          })
        : await sender.send({
            intent,
            address: market,
            abi: marketCallAbi,
            functionName: "submitResults",
            args: [
              group.map((j) => j.jobId),
              group.map((j) => resultOf(j.data)),
              group.flatMap((j) => proofsOf(j.data)),
            ],
          });
    for (const j of group) ctx.advance({ ...j, step: "submitting" }, "submitted", { data: { submitTx: sent.hash } });
  } catch (e) {
    if (!(e instanceof SimulationRevertedError || e instanceof TxRevertedError)) throw e;
    // Find out job by job what the market thinks: already submitted by us (a pre-restart transaction), or lost.
    for (const j of group) {
      const at = { ...j, step: "submitting" as const };
      switch (afterFailedSubmit(await ctx.onChain(j.jobId), me, group.length)) {
        case "submitted":
          ctx.advance(at, "submitted");
          break;
        case "alone":
          ctx.advance(at, "proved", { data: { submitIntent: `job:${j.jobId}:submit` } });
          break;
        case "claim-again":
          // Our claim is gone (a reorg removed it). The sender re-broadcasts the same signed claim for its intent
          // (same nonce, so no gap); the proof does not depend on the claim, so the result then goes out again.
          await sendClaim(ctx, j.jobId);
          logger.warn({ jobId: j.jobId }, "claim was reorged out; claimed again");
          ctx.advance(at, "proved", { data: { submitIntent: `job:${j.jobId}:submit:${Date.now()}` } });
          break;
        case "failed":
          ctx.advance(at, "failed", {
            reason: `submit failed: ${e instanceof SimulationRevertedError ? e.formatted : e.message}`,
          });
      }
    }
  }
}
