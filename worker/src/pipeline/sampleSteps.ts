// A verifiable result may be sampled. Its coin is the hash of the block after our submission (SampleCoinCommitted),
// read by anyone with readSampleCoin within 256 blocks; a coin nobody read counts as sampled, and the result cannot be
// finalized while its coin is unread, so we read our own as soon as its block is mined. A sampled result is a dispute
// without a disputer: its committee is drawn by whoever calls drawCommittee, and a sample that never reaches its
// committee pays us nothing, so we draw it ourselves; the dispute duty then reveals the job's input to the committee
// (JobDisputed), which re-runs it and votes.
import { getContractEvents } from "viem/actions";
import { zeroAddress } from "viem";
import { jobMarketAbi, marketCallAbi } from "../chain/abis.ts";
import { SimulationRevertedError } from "../sender/SenderError.ts";
import type { LiveJob } from "./jobData.ts";
import type { PipelineContext } from "./pipelineContext.ts";

/** What this run has settled, so that a waiting job costs no call per tick (a restart asks once more). */
export type SampleState = {
  /** Jobs whose coin is read, or that have none to read. */
  coins: Set<bigint>;
  /** Disputed jobs of ours that need no draw from us (drawn, lapsed, or a user's dispute, which the user draws). */
  draws: Set<bigint>;
  /** Disputed jobs of ours known to be samples (DisputeOpened without a disputer), waiting to be drawn. */
  samples: Set<bigint>;
};

export const createSampleState = (): SampleState => ({ coins: new Set(), draws: new Set(), samples: new Set() });

/**
 * Reads a submitted result's sample coin. Returns "pending" while the coin's block is not mined, "read" once our read
 * is mined (the job may be Disputed now), and "none" when there is nothing to read: no coin (sampling off, not a
 * verifiable job) or one read already.
 */
export async function readOwnSampleCoin(ctx: PipelineContext, job: LiveJob): Promise<"pending" | "read" | "none"> {
  const { sender, market } = ctx.p;
  if (!job.data.verifiable || ctx.samples.coins.has(job.jobId)) return "none";
  let read: "read" | "none" = "read";
  try {
    await sender.send({
      intent: `job:${job.jobId}:coin`,
      address: market,
      abi: marketCallAbi,
      functionName: "readSampleCoin",
      args: [job.jobId],
    });
  } catch (e) {
    if (!(e instanceof SimulationRevertedError)) throw e;
    if (e.errorName === "SampleCoinNotMined") return "pending";
    // SampleCoinNotPending (no coin, or read by someone else) or JobNotInStatus (disputed, settled): nothing to read.
    read = "none";
  }
  ctx.samples.coins.add(job.jobId);
  return read;
}

/** Draws the committee of our sampled result once its draw block is mined. A user's dispute is the user's to draw. */
export async function drawOwnSample(ctx: PipelineContext, job: LiveJob): Promise<void> {
  const { sender, market, client, logger } = ctx.p;
  if (ctx.samples.draws.has(job.jobId)) return;
  // Who opened the dispute is read once; the ticks that wait for its draw block only try the draw.
  if (!ctx.samples.samples.has(job.jobId)) {
    const opened = (
      await getContractEvents(client, {
        address: market,
        abi: jobMarketAbi,
        eventName: "DisputeOpened",
        args: { jobId: job.jobId },
        fromBlock: BigInt(job.data.createdBlock),
        strict: true,
      })
    ).at(-1);
    if (!opened) return; // the watcher saw it Disputed before our node's logs have it: next tick
    if (opened.args.disputer !== zeroAddress) return void ctx.samples.draws.add(job.jobId);
    ctx.samples.samples.add(job.jobId);
  }
  try {
    await sender.send({
      intent: `job:${job.jobId}:draw`,
      address: market,
      abi: marketCallAbi,
      functionName: "drawCommittee",
      args: [job.jobId],
    });
    logger.info({ jobId: job.jobId }, "our result was sampled: committee drawn");
  } catch (e) {
    if (!(e instanceof SimulationRevertedError)) throw e;
    // Outside the window: before the draw block is mined (wait), or after its 256 blocks (the sample lapsed unpaid).
    if (e.errorName === "DisputeDrawOutsideWindow" && !lapsed(e.args)) return;
    if (e.errorName === "DisputeDrawOutsideWindow") logger.warn({ jobId: job.jobId }, "sample's draw window passed");
  }
  ctx.samples.draws.add(job.jobId);
}

/** DisputeDrawOutsideWindow(jobId, drawBlock, blockNumber): past the draw block's 256 blocks. */
function lapsed(args: SimulationRevertedError["args"]): boolean {
  const [, drawBlock, blockNumber] = Array.isArray(args) ? args : Object.values(args ?? {});
  return typeof drawBlock === "bigint" && typeof blockNumber === "bigint" && blockNumber > drawBlock + 256n;
}
