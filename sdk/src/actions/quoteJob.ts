import { readContract } from "viem/actions";
import { jobMarketAbi } from "../generated/abis.ts";
import type { OctoClient, WithDeployments } from "../internal/client.ts";

export type QuoteJobParameters = WithDeployments & { maxOutputTokens: number; maxPricePerToken: bigint };
export type QuoteJobReturnType = {
  /** Escrowed at creation, and the most the job can cost: maxOutputTokens × maxPricePerToken. The protocol fee is
   *  taken out of the payment, not added to it. */
  maxCost: bigint;
  /** The most of `maxCost` that goes to the protocol at today's fee. */
  maxFee: bigint;
  feeBps: number;
};

/** The most a job can cost, fee included, before it is created. What is not used is refunded at settlement. */
export async function quoteJob(
  client: OctoClient,
  { deployments, maxOutputTokens, maxPricePerToken }: QuoteJobParameters,
): Promise<QuoteJobReturnType> {
  const [feeBps] = await readContract(client, {
    address: deployments.contracts.JobMarket.address,
    abi: jobMarketAbi,
    functionName: "parameters",
  });
  const maxCost = BigInt(maxOutputTokens) * maxPricePerToken;
  return { maxCost, maxFee: (maxCost * BigInt(feeBps)) / 10_000n, feeBps };
}
