"use client";
// A dispute, followed on the job's page: committed to a future block → committee drawn from its hash → job secret
// revealed to the committee → the votes as they come → the outcome. Each step offers the call that moves it on to
// whoever may make it: drawing and settling are anyone's, revealing is the user's (or the provider's).
import type { Address } from "viem";
import type { JobStatusName } from "@octo/sdk";
import type { JobAction } from "../hooks/useJobActions.ts";
import { canDecide, DISPUTE_QUORUM, type DisputeProgress } from "../lib/disputeProgress.ts";
import { formatDate, shortAddress } from "../lib/format.ts";

export type DisputePanelProps = {
  dispute: DisputeProgress;
  status: JobStatusName | undefined;
  provider: Address;
  /** The connected wallet paid for this job (and has its secret when `canReveal`). */
  canReveal: boolean;
  /** A wallet is connected on this market's network: it may draw and settle. */
  canAct: boolean;
  pending: boolean;
  run: (action: JobAction) => void;
};

const STAGES = ["committed", "committee drawn", "secret revealed", "voting", "outcome"] as const;

export function DisputePanel({ dispute, status, provider, canReveal, canAct, pending, run }: DisputePanelProps) {
  const { committee, votes, revealedBy, outcome } = dispute;
  const decides = canDecide(dispute);
  const now = Date.now() / 1000;
  const over = committee !== undefined && now >= committee.disputeEnd;
  const stage = outcome ? 4 : !committee ? 0 : !decides ? 4 : revealedBy.length === 0 ? 1 : votes.length === 0 ? 2 : 3;
  const fault = votes.filter((v) => v.providerAtFault).length;
  const voteOf = (member: Address) => votes.find((v) => v.validator.toLowerCase() === member.toLowerCase());
  const revealer = (a: Address) => (a.toLowerCase() === provider.toLowerCase() ? "the provider" : "you");

  return (
    <div className="dispute" data-testid="dispute" data-stage={STAGES[stage]}>
      <h2>Dispute</h2>
      <ol className="stepper">
        {STAGES.map((s, i) => (
          <li key={s} className={i < stage || (i === stage && outcome) ? "done" : i === stage ? "current" : ""}>
            {s}
          </li>
        ))}
      </ol>

      {!committee && (
        <p className="hint" data-testid="dispute-committed">
          Committed. The committee is drawn, weighted by stake, from the hash of block {dispute.drawBlock.toString()},
          which nobody could know when you disputed. Anyone may draw it once that block is mined, within 256 blocks; if
          nobody does, the dispute lapses in the provider’s favour.
        </p>
      )}
      {!committee && canAct && status === "Disputed" && (
        <button type="button" onClick={() => run("drawCommittee")} disabled={pending} data-testid="dispute-draw">
          Draw the committee
        </button>
      )}

      {committee && !decides && (
        <p className="notice warn" data-testid="dispute-no-quorum">
          {committee.members.length === 0 ? "No other staked provider" : `Only ${committee.members.length} provider`}{" "}
          could be drawn for this model and tier: fewer than the {DISPUTE_QUORUM} votes that decide, so the dispute
          settles for the provider, as if it had not been raised.
        </p>
      )}

      {committee && decides && (
        <>
          <p className="hint">
            {committee.members.length} providers re-run the job and vote until {formatDate(committee.disputeEnd)};{" "}
            {DISPUTE_QUORUM} votes either way decide.{" "}
            {revealedBy.length === 0
              ? "They need the job’s secret to open your prompt: revealing it wraps it to each member’s key, so only they can read it."
              : `The job’s secret was revealed to them by ${[...new Set(revealedBy.map(revealer))].join(" and ")}.`}
          </p>
          <table data-testid="committee">
            <tbody>
              {committee.members.map((member) => {
                const vote = voteOf(member);
                return (
                  <tr key={member}>
                    <td>{shortAddress(member)}</td>
                    <td data-testid="vote">
                      {vote
                        ? vote.providerAtFault
                          ? "voted: provider at fault"
                          : "voted: result stands"
                        : outcome
                          ? "did not vote"
                          : "re-running…"}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="hint" data-testid="dispute-tally">
            {fault} at fault · {votes.length - fault} result stands
          </p>
          {revealedBy.length === 0 && canReveal && !outcome && (
            <button
              type="button"
              onClick={() => run("revealJobSecret")}
              disabled={pending}
              data-testid="dispute-reveal"
            >
              Reveal the job to the committee
            </button>
          )}
        </>
      )}

      {outcome && (
        <p className={outcome === "user" ? "notice" : "notice warn"} data-testid="dispute-outcome">
          {outcome === "user"
            ? "The committee found the provider at fault: its collateral was slashed and your payment refunded."
            : "Settled for the provider: the result stands and the provider was paid."}
        </p>
      )}
      {!outcome && over && status === "Disputed" && canAct && (
        <button type="button" onClick={() => run("settle")} disabled={pending} data-testid="dispute-settle">
          Settle the job
        </button>
      )}
    </div>
  );
}
