import type { Address } from "viem";
import { readContract } from "viem/actions";
import { jobMarketAbi } from "../generated/abis.ts";
import type { OctoClient, WithDeployments } from "../internal/client.ts";

export type GetBalanceParameters = WithDeployments & { token: Address; account: Address };
export type GetBalanceReturnType = bigint;

/** `account`'s balance of `token` in the market (prepaid funds, refunds to it, a provider's earnings). */
export function getBalance(
  client: OctoClient,
  { deployments, token, account }: GetBalanceParameters,
): Promise<GetBalanceReturnType> {
  return readContract(client, {
    address: deployments.contracts.JobMarket.address,
    abi: jobMarketAbi,
    functionName: "balanceOf",
    args: [token, account],
  });
}
