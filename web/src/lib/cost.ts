// What paying for a job needs from the wallet, before the wallet is asked: the most the job can cost (the sdk's
// quoteJob) against the balance and the allowance the market already has.
export type Payment = "approve" | "permit";

export type CostCheck =
  | { ok: true; needsApproval: boolean }
  | { ok: false; reason: "balance"; missing: bigint }
  | { ok: false; reason: "maxTokens"; limit: number };

/** `maxContext` is the offer's: prompt and output together must fit, so the output alone cannot exceed it. */
export function checkCost({
  maxCost,
  balance,
  allowance,
  payment,
  maxOutputTokens,
  maxContext,
}: {
  maxCost: bigint;
  balance: bigint;
  allowance: bigint;
  payment: Payment;
  maxOutputTokens: number;
  maxContext: number;
}): CostCheck {
  if (maxOutputTokens < 1 || maxOutputTokens >= maxContext)
    return { ok: false, reason: "maxTokens", limit: maxContext - 1 };
  if (balance < maxCost) return { ok: false, reason: "balance", missing: maxCost - balance };
  return { ok: true, needsApproval: payment === "approve" && allowance < maxCost };
}
