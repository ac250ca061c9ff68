// The watcher's handlers for JobMarket events. They run inside the watcher's SQLite transaction and only write the
// store; the pipeline does the slow work. Each is idempotent by construction (the watcher calls it once per log).
import { zeroAddress, type Address } from "viem";
import type { Store, StoredEvent } from "../store/openStore.ts";
import type { WatchEvent } from "../watch/createWatcher.ts";
import { isFinalStep, type JobStep } from "../store/jobSteps.ts";
import type { JobData } from "./jobData.ts";
import { ReleaseReason } from "@octo/sdk";

type Args = Record<string, unknown>;
type Request = {
  modelId: `0x${string}`;
  paymentToken: Address;
  maxOutputTokens: number;
  maxPricePerToken: bigint;
  minTier: number;
  verifiable: boolean;
  deadline: number;
  provider: Address;
  userPublicKey: `0x${string}`;
  keyCommitment: bigint;
};

export type MarketHandlersParameters = {
  store: Store;
  me: Address;
  onEarnings?: (amount: bigint) => void;
  /** Called when a JobCreated log is handled (benchmarks time the pipeline from here). */
  onJobSeen?: (jobId: bigint) => void;
};

const same = (a: unknown, b: string) => typeof a === "string" && a.toLowerCase() === b.toLowerCase();

/** Ends a live job that the market ended without us (cancelled, taken by another provider, timed out…). */
function endJob(store: Store, jobId: bigint, to: "skipped" | "failed", reason: string) {
  const job = store.getJob(jobId);
  if (job && !isFinalStep(job.step)) store.advanceJob(jobId, job.step, to, { reason });
}

/**
 * Undo for a log that a reorg removed. A removed JobCreated ends a job that was not yet claimed (if the creation comes
 * back on the new branch, its log is handled again as a new event). Effects of our own transactions need no undo here:
 * the sender re-sends a transaction whose block was reorged out, and every later step is simulated first.
 */
export function marketRemovedHandler({ store }: Pick<MarketHandlersParameters, "store">) {
  return (event: StoredEvent) => {
    if (event.eventName !== "JobCreated") return;
    const jobId = (event.args as Args).jobId as bigint;
    const job = store.getJob(jobId);
    if (job && (job.step === "seen" || job.step === "claiming"))
      store.advanceJob(jobId, job.step, "skipped", { reason: "creation removed by a reorg" });
  };
}

export function marketHandlers({ store, me, onEarnings, onJobSeen }: MarketHandlersParameters) {
  return {
    JobCreated(event: WatchEvent) {
      const a = event.args as Args;
      const request = a.request as Request;
      const envelope = (a.envelope as `0x${string}`) ?? "0x";
      const data: JobData = {
        user: a.user as Address,
        modelId: request.modelId,
        paymentToken: request.paymentToken,
        maxOutputTokens: Number(request.maxOutputTokens),
        maxPricePerToken: request.maxPricePerToken,
        minTier: Number(request.minTier),
        verifiable: request.verifiable,
        deadline: Number(request.deadline),
        provider: request.provider,
        userPublicKey: request.userPublicKey,
        keyCommitment: request.keyCommitment,
        envelope,
        createdBlock: event.blockNumber,
      };
      store.createJob(a.jobId as bigint, data);
      onJobSeen?.(a.jobId as bigint);
    },
    JobClaimed(event: WatchEvent) {
      const a = event.args as Args;
      if (!same(a.provider, me)) endJob(store, a.jobId as bigint, "skipped", "claimed by another provider");
    },
    JobReleased(event: WatchEvent) {
      const a = event.args as Args;
      // A provider that handed a job back as its own fault (model unavailable, out of capacity) reopened it, unnamed,
      // to anyone: a job we skipped because it was that provider's is ours to consider again. (Input faults refund
      // the user and end the job; our own releases we do not take back.)
      if (Number(a.reason) < ReleaseReason.ModelUnavailable || same(a.provider, me)) return;
      store.reopenJob(a.jobId as bigint, {
        data: { provider: zeroAddress },
        reason: `reopened: ${String(a.provider)} handed it back`,
      });
    },
    JobCancelled(event: WatchEvent) {
      endJob(store, (event.args as Args).jobId as bigint, "skipped", "cancelled by the user");
    },
    JobTimedOut(event: WatchEvent) {
      endJob(store, (event.args as Args).jobId as bigint, "failed", "timed out on-chain");
    },
    JobSlashed(event: WatchEvent) {
      endJob(store, (event.args as Args).jobId as bigint, "failed", "slashed");
    },
    JobFinalized(event: WatchEvent) {
      const a = event.args as Args;
      if (!same(a.provider, me)) return;
      const jobId = a.jobId as bigint;
      const job = store.getJob(jobId);
      if (!job) return;
      const steps: JobStep[] = ["submitted", "finalizing", "done"];
      let at = steps.indexOf(job.step);
      if (at < 0) return;
      for (; at < steps.length - 1; at++) {
        store.advanceJob(jobId, steps[at]!, steps[at + 1]!, { data: { providerAmount: a.providerAmount as bigint } });
      }
      onEarnings?.(a.providerAmount as bigint);
    },
  };
}
