// The job row an event refers to. Every job event follows its JobCreated in chain order, so a missing row means the
// indexer skipped an event: fail loudly rather than write totals that no longer add up.
import { job } from "ponder:schema";
import type { Db } from "./eventMeta.ts";

export async function requireJob(db: Db, jobId: bigint) {
  const row = await db.find(job, { id: jobId });
  if (!row) throw new Error(`job ${jobId}: an event for a job the indexer has not seen created`);
  return row;
}
