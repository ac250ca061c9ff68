// Handing a job back to the market (`releaseJob`): the user is refunded (input faults) or the job reopens for other
// providers (our faults, e.g. the model unavailable), our collateral unlocked and nothing slashed. Used by the key,
// infer and engine-failure paths.
import { ReleaseReason, type ReleaseReasonName } from "@octo/sdk";
import { marketCallAbi } from "../chain/abis.ts";
import type { Engine } from "../engines/types.ts";
import { BaseError } from "../errors/BaseError.ts";
import { SimulationRevertedError } from "../sender/SenderError.ts";
import type { LiveJob } from "./jobData.ts";
import type { PipelineContext } from "./pipelineContext.ts";
import { afterFailedRelease } from "./reconcile.ts";

/** A job we meant to hand back could not be, and the market still has it claimed by us: it is kept, not given up. */
export class ReleaseRefusedError extends BaseError {
  override name = "ReleaseRefusedError";
}

export async function releaseJob(
  ctx: PipelineContext,
  job: LiveJob,
  reason: Exclude<ReleaseReasonName, "None">,
  why: string,
): Promise<void> {
  const { sender, market, me, logger } = ctx.p;
  logger.warn({ jobId: job.jobId, reason, why }, "handing the job back");
  try {
    await sender.send({
      intent: `job:${job.jobId}:release`,
      address: market,
      abi: marketCallAbi,
      functionName: "releaseJob",
      args: [job.jobId, ReleaseReason[reason]],
    });
  } catch (e) {
    if (!(e instanceof SimulationRevertedError)) throw e;
    // Still ours on-chain (a key delivered at the last moment, a clock ahead of the chain's): the job is not given
    // up locally, or it would sit claimed until its deadline. It stays in its step and is looked at again.
    if (afterFailedRelease(await ctx.onChain(job.jobId), me) === "still-ours")
      throw new ReleaseRefusedError(
        `job ${job.jobId} could not be handed back (${e.formatted}) and is still ours; looking at it again`,
        { cause: e },
      );
    logger.warn({ jobId: job.jobId, err: e.formatted }, "release not possible; the market has moved on");
  }
  ctx.advance(job, "released", { reason: `${reason}: ${why}` });
}

/**
 * A step failed on the engine. While the engine is only restarting, the job stays in its step and is retried on a
 * later tick. An engine that will not come back (its supervisor gave up), or one still down as the job's deadline
 * nears, hands the job back to the market instead: reopened for other providers, our collateral unlocked, nothing
 * slashed, where running out the deadline with us would refund the user only then and slash us.
 */
export async function engineFailed(ctx: PipelineContext, job: LiveJob, engine: Engine, error: unknown): Promise<void> {
  const health = await engine.health();
  if (health.healthy) throw error;
  if (health.permanent) return releaseJob(ctx, job, "ModelUnavailable", `engine gave up: ${health.reason}`);
  if ((await ctx.chainTime()) >= job.data.deadline - (ctx.p.minTimeToDeadline ?? 60))
    return releaseJob(ctx, job, "ModelUnavailable", `engine down as the deadline nears: ${health.reason}`);
  throw error;
}
