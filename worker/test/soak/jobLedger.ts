// The soak's running view of every job, from the market's events as they are mined: where each job is, and when (wall
// clock) it was created and its result submitted, for the create → submitted latencies.
import { parseEventLogs, type Address, type PublicClient } from "viem";
import { jobMarketAbi, type JobStatusName } from "@octo/sdk";

export type LedgerJob = { status: JobStatusName; createdAt?: number; submittedAt?: number };

export type JobLedger = {
  jobs: Map<bigint, LedgerJob>;
  /** Notes when the harness saw the job created (its createJob returned). */
  created(jobId: bigint): void;
  /** Reads the events mined since the last call. */
  poll(): Promise<void>;
};

export function createJobLedger({ publicClient, jobMarket }: { publicClient: PublicClient; jobMarket: Address }) {
  const jobs = new Map<bigint, LedgerJob>();
  let next = 0n;
  const set = (jobId: bigint, status: JobStatusName) => {
    const job = jobs.get(jobId) ?? { status };
    job.status = status;
    if (status === "Submitted" && job.submittedAt === undefined) job.submittedAt = Date.now();
    jobs.set(jobId, job);
  };
  return {
    jobs,
    created(jobId: bigint) {
      const job = jobs.get(jobId) ?? { status: "Open" };
      job.createdAt ??= Date.now();
      jobs.set(jobId, job);
    },
    async poll() {
      const head = await publicClient.getBlockNumber({ cacheTime: 0 });
      if (head < next) return;
      const logs = await publicClient.getLogs({ address: jobMarket, fromBlock: next, toBlock: head });
      next = head + 1n;
      for (const e of parseEventLogs({ abi: jobMarketAbi, logs })) {
        switch (e.eventName) {
          case "JobCreated":
            if (!jobs.has(e.args.jobId)) set(e.args.jobId, "Open");
            break;
          case "JobClaimed":
            set(e.args.jobId, "Claimed");
            break;
          case "JobReleased":
            set(e.args.jobId, e.args.refund > 0n ? "Refunded" : "Open");
            break;
          case "ResultSubmitted":
            set(e.args.jobId, "Submitted");
            break;
          case "DisputeOpened":
            set(e.args.jobId, "Disputed");
            break;
          case "JobFinalized":
            set(e.args.jobId, "Finalized");
            break;
          case "JobCancelled":
            set(e.args.jobId, "Cancelled");
            break;
          // TimedOut, or Refunded when the key never came: terminal either way; checkMarket reads the exact status.
          case "JobTimedOut":
            set(e.args.jobId, "TimedOut");
            break;
          case "JobSlashed":
            set(e.args.jobId, "Slashed");
            break;
        }
      }
    },
  } satisfies JobLedger;
}
