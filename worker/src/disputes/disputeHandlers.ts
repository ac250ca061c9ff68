// The watcher's handler for JobDisputed: records what this provider owes the dispute (a reveal when the result is
// ours, a vote when we were drawn). It runs inside the watcher's transaction and only writes the store; the dispute
// duty does the slow work.
import { isAddressEqual, type Address } from "viem";
import type { DisputeDuties } from "../store/disputeDuties.ts";
import type { Store, StoredEvent } from "../store/openStore.ts";
import type { MarketEvent } from "../pipeline/marketHandlers.ts";

export type DisputeHandlersParameters = { store: Pick<Store, "getJob">; duties: DisputeDuties; me: Address };

type DisputedArgs = MarketEvent<"JobDisputed">["args"];

/**
 * Our own results are the jobs our pipeline submitted, including one still waiting for its submission's receipt
 * ('submitting'): a dispute can be mined before the worker has read that receipt, and a result on-chain for a job we
 * claimed can only be ours.
 */
const OUR_RESULT_STEPS = new Set(["submitting", "submitted", "finalizing"]);

export function disputeHandlers({ store, duties, me }: DisputeHandlersParameters) {
  return {
    JobDisputed({ args: { jobId, committee } }: MarketEvent<"JobDisputed">) {
      // The committee, in order, is what both duties need: a reveal wraps to each member, a vote reads its own wrap.
      const data = { committee: [...committee] };
      if (committee.some((m) => isAddressEqual(m, me))) duties.record(jobId, "member", data);
      else if (OUR_RESULT_STEPS.has(store.getJob(jobId)?.step ?? "")) duties.record(jobId, "accused", data);
    },
  };
}

/** Undo for a JobDisputed log that a reorg removed: an open duty is dropped (it comes back if the dispute does). */
export function disputeRemovedHandler({ duties }: Pick<DisputeHandlersParameters, "duties">) {
  return (event: StoredEvent) => {
    if (event.eventName === "JobDisputed") duties.forget((event.args as DisputedArgs).jobId);
  };
}
