// A job past its deadline that never got a result: the page says so at once, with the call that gets the escrow
// back, instead of waiting for someone to move the job to TimedOut. The market's own rules (JobMarket.sol): an Open
// job past its deadline may be cancelled by anyone (`cancelJob`, the whole escrow back to the user); a Claimed one is
// timed out (`timeoutJob`, the escrow back and, when the provider had the job's key, its collateral to the user).
// Both need the block's time to be strictly past the deadline.
import type { JobStatusName } from "@octo/sdk";

export type Expiry = { expired: false } | { expired: true; action: "cancel" | "reclaim" };

export function expiryOf({
  status,
  deadline,
  now,
}: {
  status: JobStatusName | undefined;
  /** Unix seconds, the job's. */
  deadline: number;
  /** Unix seconds. */
  now: number;
}): Expiry {
  if (now <= deadline) return { expired: false };
  if (status === "Open") return { expired: true, action: "cancel" };
  if (status === "Claimed") return { expired: true, action: "reclaim" };
  return { expired: false };
}
