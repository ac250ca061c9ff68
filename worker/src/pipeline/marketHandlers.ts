// The watcher's handlers for JobMarket events. They run inside the watcher's SQLite transaction and only write the
// store; the pipeline does the slow work. Each is idempotent by construction (the watcher calls it once per log).
// Every handler is typed by its event in the market's `as const` ABI (WatchEvent), so its arguments are read as the
// contract declares them.
import { isAddressEqual, zeroAddress, type Address, type ContractEventName } from "viem";
import { ReleaseReason } from "@octo/sdk";
import type { jobMarketAbi } from "../chain/abis.ts";
import type { Store, StoredEvent } from "../store/openStore.ts";
import type { WatchEvent } from "../watch/createWatcher.ts";
import { isFinalStep, type JobStep } from "../store/jobSteps.ts";
import type { JobData } from "./jobData.ts";

/** A JobMarket event as the watcher hands it to its handler. */
export type MarketEvent<eventName extends ContractEventName<typeof jobMarketAbi>> = WatchEvent<
  typeof jobMarketAbi,
  eventName
>;

export type MarketHandlersParameters = {
  store: Store;
  me: Address;
  onEarnings?: (amount: bigint) => void;
  /** Called when a JobCreated log is handled (benchmarks time the pipeline from here). */
  onJobSeen?: (jobId: bigint) => void;
};

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
    // Stored event args are the decoded JobCreated args (the store keeps them as JSON with bigints).
    const jobId = (event.args as MarketEvent<"JobCreated">["args"]).jobId;
    const job = store.getJob(jobId);
    if (job && (job.step === "seen" || job.step === "claiming"))
      store.advanceJob(jobId, job.step, "skipped", { reason: "creation removed by a reorg" });
  };
}

export function marketHandlers({ store, me, onEarnings, onJobSeen }: MarketHandlersParameters) {
  return {
    JobCreated({ args, blockNumber }: MarketEvent<"JobCreated">) {
      const { request } = args;
      const data: JobData = {
        user: args.user,
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
        envelope: args.envelope ?? "0x",
        createdBlock: blockNumber,
      };
      store.createJob(args.jobId, data);
      onJobSeen?.(args.jobId);
    },
    JobClaimed({ args }: MarketEvent<"JobClaimed">) {
      if (!isAddressEqual(args.provider, me)) endJob(store, args.jobId, "skipped", "claimed by another provider");
    },
    JobReleased({ args }: MarketEvent<"JobReleased">) {
      // A provider that handed a job back as its own fault (model unavailable, out of capacity) reopened it, unnamed,
      // to anyone: a job we skipped because it was that provider's is ours to consider again. (Input faults refund
      // the user and end the job; our own releases we do not take back.)
      if (args.reason < ReleaseReason.ModelUnavailable || isAddressEqual(args.provider, me)) return;
      store.reopenJob(args.jobId, {
        data: { provider: zeroAddress },
        reason: `reopened: ${args.provider} handed it back`,
      });
    },
    JobCancelled({ args }: MarketEvent<"JobCancelled">) {
      endJob(store, args.jobId, "skipped", "cancelled by the user");
    },
    JobTimedOut({ args }: MarketEvent<"JobTimedOut">) {
      endJob(store, args.jobId, "failed", "timed out on-chain");
    },
    JobSlashed({ args }: MarketEvent<"JobSlashed">) {
      endJob(store, args.jobId, "failed", "slashed");
    },
    JobFinalized({ args }: MarketEvent<"JobFinalized">) {
      if (!isAddressEqual(args.provider, me)) return;
      const job = store.getJob(args.jobId);
      if (!job) return;
      const steps: JobStep[] = ["submitted", "finalizing", "done"];
      let at = steps.indexOf(job.step);
      if (at < 0) return;
      for (; at < steps.length - 1; at++) {
        store.advanceJob(args.jobId, steps[at]!, steps[at + 1]!, { data: { providerAmount: args.providerAmount } });
      }
      onEarnings?.(args.providerAmount);
    },
  };
}
