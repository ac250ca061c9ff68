// Pays for one job from the operator's prepaid balance in the market: the escrow is charged to the API key first (its
// spending limit), the balance topped up from the wallet when it cannot cover the escrow (or the request refused with
// a 402 before anything is sent), and the job created from the balance under the operator's user key: one
// transaction, no approval, and its refunds return to the balance. Once mined, the job is in the ledger
// before anything else happens; a restart that finds it on-chain unrecorded gives it the key's hold (escrowHolds).
import type { Hash, Hex } from "viem";
import type { CreateJobReturnType, JobInput, Offer } from "@octo/sdk";
import { convertHold, holdEscrow, markHoldSending, releaseHold } from "../jobs/escrowHolds.ts";
import type { Store } from "../store/openStore.ts";
import type { Market } from "./connectMarket.ts";
import { ensureMarketBalance, type EnsureMarketBalanceParameters } from "./operatorFunds.ts";

export type PayForJobParameters = {
  store: Store;
  keyId: string;
  offer: Offer;
  modelId: Hex;
  input: JobInput;
  maxOutputTokens: number;
  verifiable: boolean;
  deadlineSeconds: number;
  /** What a top-up deposits when the market balance cannot cover the escrow (default: the whole wallet). */
  topUp?: bigint | undefined;
  onDeposit?: EnsureMarketBalanceParameters["onDeposit"];
};
/** `depositHash`: the top-up this job needed, if any. */
export type PayForJobReturnType = CreateJobReturnType & { maxCost: bigint; depositHash: Hash | undefined };

export async function payForJob(market: Market, p: PayForJobParameters): Promise<PayForJobReturnType> {
  const { maxCost } = await market.client.quoteJob({
    maxOutputTokens: p.maxOutputTokens,
    maxPricePerToken: p.offer.pricePerToken,
  });
  const hold = holdEscrow(p.store, { keyId: p.keyId, provider: p.offer.provider, maxCost });
  try {
    const userKey = await market.userKey();
    return await market.serially(async () => {
      const { deposit } = await ensureMarketBalance(market, {
        needed: maxCost,
        topUp: p.topUp,
        onDeposit: p.onDeposit,
      });
      markHoldSending(p.store, hold);
      const created = await market.client.createJob({
        input: p.input,
        modelId: p.modelId,
        paymentToken: market.paymentToken,
        provider: p.offer.provider,
        maxOutputTokens: p.maxOutputTokens,
        maxPricePerToken: p.offer.pricePerToken,
        verifiable: p.verifiable,
        deadlineSeconds: p.deadlineSeconds,
        userKey,
        payment: "balance",
      });
      convertHold(p.store, hold, {
        jobId: created.jobId,
        keyId: p.keyId,
        provider: p.offer.provider,
        maxCost,
        createTx: created.hash,
      });
      return { ...created, maxCost, depositHash: deposit?.hash };
    });
  } catch (error) {
    releaseHold(p.store, hold);
    throw error;
  }
}
