// What paying for a job needs from the wallet, before the wallet is asked: the most the job can cost (the sdk's
// quoteJob) against what pays for it: the wallet's tokens and the allowance the market already has, or the user's
// prepaid balance in the market.
export type Payment = "approve" | "permit" | "balance";

export type CostCheck =
  | { ok: true; needsApproval: boolean }
  | { ok: false; reason: "balance" | "marketBalance"; missing: bigint }
  | { ok: false; reason: "maxTokens"; limit: number };

/** `maxContext` is the offer's: prompt and output together must fit, so the output alone cannot exceed it. */
export function checkCost({
  maxCost,
  balance,
  allowance,
  marketBalance,
  payment,
  maxOutputTokens,
  maxContext,
}: {
  maxCost: bigint;
  balance: bigint;
  allowance: bigint;
  marketBalance: bigint;
  payment: Payment;
  maxOutputTokens: number;
  maxContext: number;
}): CostCheck {
  if (maxOutputTokens < 1 || maxOutputTokens >= maxContext)
    return { ok: false, reason: "maxTokens", limit: maxContext - 1 };
  if (payment === "balance")
    return marketBalance < maxCost
      ? { ok: false, reason: "marketBalance", missing: maxCost - marketBalance }
      : { ok: true, needsApproval: false };
  if (balance < maxCost) return { ok: false, reason: "balance", missing: maxCost - balance };
  return { ok: true, needsApproval: payment === "approve" && allowance < maxCost };
}

/** Until the person picks: the balance in the market when it covers the most the job can cost (one transaction, no
 *  approval), otherwise approve and pay from the wallet. */
export const defaultPayment = ({ marketBalance, maxCost }: { marketBalance: bigint; maxCost: bigint }): Payment =>
  marketBalance >= maxCost ? "balance" : "approve";
