// A dispute as the job page follows it, from the job's market events (watchJob's onEvent): committed (the draw block
// named), the committee drawn, the job secret revealed to it, the votes as they come, and the outcome.
import type { Address } from "viem";
import type { JobEvent } from "@octo/sdk";

/** The contracts' Committee.QUORUM: votes either way that decide, and the least committee that can decide. */
export const DISPUTE_QUORUM = 2;

export type DisputeVote = { validator: Address; providerAtFault: boolean };
export type DisputeProgress = {
  drawBlock: bigint;
  /** Drawn: the members, and the end of voting (the draw's own time when fewer than a quorum could be drawn). */
  committee?: { members: readonly Address[]; disputeEnd: number } | undefined;
  revealedBy: Address[];
  votes: DisputeVote[];
  /** "provider": settled for the provider (voted clean, no quorum drawn or no verdict in time); "user": the
   *  provider was voted at fault and slashed, the user refunded. */
  outcome?: "provider" | "user" | undefined;
};

/** The last dispute among a job's events, or undefined when it was never disputed. */
export function disputeProgress(events: readonly JobEvent[]): DisputeProgress | undefined {
  let dispute: DisputeProgress | undefined;
  for (const event of events) {
    if (event.eventName === "DisputeOpened") dispute = { drawBlock: event.args.drawBlock, revealedBy: [], votes: [] };
    if (!dispute) continue;
    switch (event.eventName) {
      case "JobDisputed":
        dispute.committee = { members: event.args.committee, disputeEnd: event.args.disputeEnd };
        break;
      case "JobSecretRevealed":
        dispute.revealedBy.push(event.args.revealer);
        break;
      case "DisputeVoted":
        dispute.votes.push({ validator: event.args.validator, providerAtFault: event.args.providerAtFault });
        break;
      case "JobFinalized":
        dispute.outcome = "provider";
        break;
      case "JobSlashed":
        dispute.outcome = "user";
        break;
    }
  }
  return dispute;
}

/** Whether a drawn committee can decide at all (fewer than a quorum settles for the provider at once). */
export const canDecide = (dispute: DisputeProgress) => (dispute.committee?.members.length ?? 0) >= DISPUTE_QUORUM;
