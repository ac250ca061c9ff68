import type { Address, Hash } from "viem";
import { jobMarketAbi } from "../generated/abis.ts";
import {
  requireAccount,
  writeAndWait,
  type OctoClient,
  type WithAccount,
  type WithDeployments,
} from "../internal/client.ts";

export type WithdrawParameters = WithDeployments & WithAccount & { token: Address; amount: bigint };
export type WithdrawReturnType = { hash: Hash };

/** Sends `amount` of the caller's balance in the market to the caller: unspent deposits, refunds of balance-paid
 *  jobs, a provider's earnings. */
export async function withdraw(
  client: OctoClient,
  { deployments, token, amount, account }: WithdrawParameters,
): Promise<WithdrawReturnType> {
  const from = requireAccount(client, account, "withdraw");
  const { hash } = await writeAndWait(client, {
    account: from,
    address: deployments.contracts.JobMarket.address,
    abi: jobMarketAbi,
    functionName: "withdraw",
    args: [token, amount],
  });
  return { hash };
}
