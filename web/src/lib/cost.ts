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
 *  approval), otherwise from the wallet: by permit where the token takes one (one transaction, a signature first),
 *  by approve otherwise. */
export const defaultPayment = ({
  marketBalance,
  maxCost,
  permit,
}: {
  marketBalance: bigint;
  maxCost: bigint;
  permit: boolean;
}): Payment => (marketBalance >= maxCost ? "balance" : permit ? "permit" : "approve");

/** The ways the form offers: permit only where the token takes one. */
export const paymentChoices = ({ permit }: { permit: boolean }): Payment[] =>
  permit ? ["balance", "approve", "permit"] : ["balance", "approve"];

/** What is paid with: the person's choice while it is still offered (a token without permit never signs one),
 *  else the default; until the balance and the most the job can cost are read, from the wallet. */
export function paymentFor({
  chosen,
  marketBalance,
  maxCost,
  permit,
}: {
  chosen: Payment | undefined;
  marketBalance: bigint | undefined;
  maxCost: bigint | undefined;
  permit: boolean;
}): Payment {
  if (chosen && paymentChoices({ permit }).includes(chosen)) return chosen;
  if (marketBalance === undefined || maxCost === undefined) return permit ? "permit" : "approve";
  return defaultPayment({ marketBalance, maxCost, permit });
}

/** A deposit's way (always from the wallet): the person's choice while offered, else permit where the token takes
 *  one, approve otherwise. */
export function depositPaymentFor({
  chosen,
  permit,
}: {
  chosen: "approve" | "permit" | undefined;
  permit: boolean;
}): "approve" | "permit" {
  if (chosen === "approve" || (chosen === "permit" && permit)) return chosen;
  return permit ? "permit" : "approve";
}
