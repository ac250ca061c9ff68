// A job past its deadline without a result, said plainly the moment it happens (not once someone has moved it to
// TimedOut), with the call that gets the escrow back: cancel an open job, reclaim a claimed one. After the deadline
// the market lets anyone make either call; the refund always goes to the wallet that paid.
import type { JobAction } from "../hooks/useJobActions.ts";
import { formatDate } from "../lib/format.ts";

export type ExpiredNoticeProps = {
  action: "cancel" | "reclaim";
  /** Unix seconds. */
  deadline: number;
  /** A wallet is connected on this market's network. */
  canAct: boolean;
  pending: boolean;
  run: (action: JobAction) => void;
};

export function ExpiredNotice({ action, deadline, canAct, pending, run }: ExpiredNoticeProps) {
  return (
    <div className="notice warn" role="status" data-testid="expired" data-action={action}>
      <strong>The deadline passed</strong>
      <p>
        {action === "cancel"
          ? `No provider took this job before its deadline (${formatDate(deadline)}). Cancel it to get the whole escrow back.`
          : `The provider did not post a result before the deadline (${formatDate(deadline)}). Reclaim the escrow; when the provider had the job's key, its collateral comes to you too.`}
      </p>
      {canAct ? (
        <button type="button" onClick={() => run(action)} disabled={pending} data-testid={`expired-${action}`}>
          {action === "cancel" ? "Cancel and refund" : "Reclaim the escrow"}
        </button>
      ) : (
        <p className="hint">Connect a wallet on this market's network to make the call.</p>
      )}
    </div>
  );
}
