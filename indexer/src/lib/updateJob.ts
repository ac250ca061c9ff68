// Every change to a job row also moves its `updatedBlock`/`updatedAt` to the event's block.
import { job } from "ponder:schema";
import type { Db, EventMeta } from "./eventMeta.ts";

type JobChanges = Partial<Omit<typeof job.$inferInsert, "id" | "updatedBlock" | "updatedAt">>;

export async function updateJob(db: Db, event: EventMeta, jobId: bigint, changes: JobChanges): Promise<void> {
  await db
    .update(job, { id: jobId })
    .set({ ...changes, updatedBlock: event.block.number, updatedAt: event.block.timestamp });
}
