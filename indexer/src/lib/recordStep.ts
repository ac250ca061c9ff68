// A job's history: one row per JobMarket event about it, with the block, transaction and time it happened in.
import type { Hex } from "viem";
import { jobStep } from "ponder:schema";
import type { Db, EventMeta } from "./eventMeta.ts";

export async function recordStep(
  db: Db,
  event: EventMeta,
  jobId: bigint,
  step: string,
  actor: Hex | null,
): Promise<void> {
  await db.insert(jobStep).values({
    id: `${event.transaction.hash}-${event.log.logIndex}`,
    jobId,
    step,
    actor,
    blockNumber: event.block.number,
    blockHash: event.block.hash,
    transactionHash: event.transaction.hash,
    logIndex: event.log.logIndex,
    timestamp: event.block.timestamp,
  });
}
