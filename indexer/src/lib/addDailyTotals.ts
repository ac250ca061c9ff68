// Adds to the totals of the event's UTC day for one payment token, creating the day's row on its first event.
import type { Hex } from "viem";
import { dailyTotal } from "ponder:schema";
import { utcDay, type Db, type EventMeta } from "./eventMeta.ts";

type Counters = {
  jobsCreated: number;
  jobsFinalized: number;
  jobsCancelled: number;
  jobsTimedOut: number;
  jobsSlashed: number;
  jobsRefunded: number;
  disputes: number;
  tokens: bigint;
  volume: bigint;
  fees: bigint;
  refunds: bigint;
};

const zero: Counters = {
  jobsCreated: 0,
  jobsFinalized: 0,
  jobsCancelled: 0,
  jobsTimedOut: 0,
  jobsSlashed: 0,
  jobsRefunded: 0,
  disputes: 0,
  tokens: 0n,
  volume: 0n,
  fees: 0n,
  refunds: 0n,
};

export async function addDailyTotals(
  db: Db,
  event: EventMeta,
  paymentToken: Hex,
  add: Partial<Counters>,
): Promise<void> {
  const delta = { ...zero, ...add };
  await db
    .insert(dailyTotal)
    .values({ day: utcDay(event.block.timestamp), paymentToken, ...delta })
    .onConflictDoUpdate((row) => ({
      jobsCreated: row.jobsCreated + delta.jobsCreated,
      jobsFinalized: row.jobsFinalized + delta.jobsFinalized,
      jobsCancelled: row.jobsCancelled + delta.jobsCancelled,
      jobsTimedOut: row.jobsTimedOut + delta.jobsTimedOut,
      jobsSlashed: row.jobsSlashed + delta.jobsSlashed,
      jobsRefunded: row.jobsRefunded + delta.jobsRefunded,
      disputes: row.disputes + delta.disputes,
      tokens: row.tokens + delta.tokens,
      volume: row.volume + delta.volume,
      fees: row.fees + delta.fees,
      refunds: row.refunds + delta.refunds,
    }));
}
