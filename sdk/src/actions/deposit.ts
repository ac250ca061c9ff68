import { erc20Abi, type Address, type Hash } from "viem";
import { readContract } from "viem/actions";
import { jobMarketAbi } from "../generated/abis.ts";
import {
  accountAddress,
  requireAccount,
  writeAndWait,
  type OctoClient,
  type WithAccount,
  type WithDeployments,
} from "../internal/client.ts";
import { signPermit } from "../internal/signPermit.ts";

export type DepositParameters = WithDeployments &
  WithAccount & {
    /** An allow-listed payment token. */
    token: Address;
    amount: bigint;
    /** `approve` sends an approval first when the allowance is short (default); `permit` signs an EIP-2612 permit
     *  and deposits in the same transaction. */
    payment?: "approve" | "permit";
  };
export type DepositReturnType = { hash: Hash };

/**
 * Pays `amount` into the caller's prepaid balance in the market, so that later jobs are paid with
 * `createJob({ payment: "balance" })`: one transaction each, no approval.
 */
export async function deposit(
  client: OctoClient,
  { deployments, token, amount, account, payment = "approve" }: DepositParameters,
): Promise<DepositReturnType> {
  const from = requireAccount(client, account, "deposit");
  const market = deployments.contracts.JobMarket.address;
  if (payment === "permit") {
    const { v, r, s, deadline } = await signPermit(client, { account: from, token, spender: market, value: amount });
    const { hash } = await writeAndWait(client, {
      account: from,
      address: market,
      abi: jobMarketAbi,
      functionName: "depositWithPermit",
      args: [token, amount, deadline, v, r, s],
    });
    return { hash };
  }
  const allowance = await readContract(client, {
    address: token,
    abi: erc20Abi,
    functionName: "allowance",
    args: [accountAddress(from), market],
  });
  if (allowance < amount)
    await writeAndWait(client, {
      account: from,
      address: token,
      abi: erc20Abi,
      functionName: "approve",
      args: [market, amount],
    });
  const { hash } = await writeAndWait(client, {
    account: from,
    address: market,
    abi: jobMarketAbi,
    functionName: "deposit",
    args: [token, amount],
  });
  return { hash };
}
