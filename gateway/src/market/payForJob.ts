// Pays for one job from the operator's account: the escrow is charged to the API key first (its spending limit), the
// operator's balance checked (402 rather than a revert), a standing allowance topped up only when it runs short (one
// approve covers many jobs), and the job created under the operator's user key. Once mined, the job is in the ledger
// before anything else happens; a restart that finds it on-chain unrecorded gives it the key's hold (escrowHolds).
import { erc20Abi, maxUint256, type Hash, type Hex } from "viem";
import type { CreateJobReturnType, JobInput, Offer } from "@octo/sdk";
import { GatewayError } from "../errors/GatewayError.ts";
import { convertHold, holdEscrow, markHoldSending, releaseHold } from "../jobs/escrowHolds.ts";
import type { Store } from "../store/openStore.ts";
import type { Market } from "./connectMarket.ts";

export type PayForJobParameters = {
  store: Store;
  keyId: string;
  offer: Offer;
  modelId: Hex;
  input: JobInput;
  maxOutputTokens: number;
  verifiable: boolean;
  deadlineSeconds: number;
  /** What an approve grants when the allowance runs short (default: unlimited). */
  standingAllowance?: bigint | undefined;
};
export type PayForJobReturnType = CreateJobReturnType & { maxCost: bigint; approveHash: Hash | undefined };

export async function payForJob(market: Market, p: PayForJobParameters): Promise<PayForJobReturnType> {
  const { maxCost } = await market.client.quoteJob({
    maxOutputTokens: p.maxOutputTokens,
    maxPricePerToken: p.offer.pricePerToken,
  });
  const hold = holdEscrow(p.store, { keyId: p.keyId, provider: p.offer.provider, maxCost });
  try {
    const userKey = await market.userKey();
    return await market.serially(async () => {
      const token = { address: market.paymentToken, abi: erc20Abi } as const;
      const balance = await market.client.readContract({
        ...token,
        functionName: "balanceOf",
        args: [market.operator],
      });
      if (balance < maxCost)
        throw new GatewayError(
          `the gateway's operator account is out of funds: it holds ${balance} units, this request escrows ${maxCost}`,
          { status: 402, type: "insufficient_funds_error", code: "insufficient_funds" },
        );
      const spender = market.deployments.contracts.JobMarket.address;
      const allowance = await market.client.readContract({
        ...token,
        functionName: "allowance",
        args: [market.operator, spender],
      });
      let approveHash: Hash | undefined;
      if (allowance < maxCost) {
        const amount =
          p.standingAllowance === undefined
            ? maxUint256
            : p.standingAllowance > maxCost
              ? p.standingAllowance
              : maxCost;
        approveHash = await market.client.writeContract({ ...token, functionName: "approve", args: [spender, amount] });
        const receipt = await market.client.waitForTransactionReceipt({ hash: approveHash });
        if (receipt.status !== "success") throw new Error(`approve reverted (${approveHash})`);
      }
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
        payment: "allowance",
      });
      convertHold(p.store, hold, {
        jobId: created.jobId,
        keyId: p.keyId,
        provider: p.offer.provider,
        maxCost,
        createTx: created.hash,
      });
      return { ...created, maxCost, approveHash };
    });
  } catch (error) {
    releaseHold(p.store, hold);
    throw error;
  }
}
