// One contract write as the app makes it where the sdk has no action for it (the provider's registry calls, settling a
// job): simulated first, so that a revert is shown in words (the sdk's decodeRevert) before the wallet is asked; then
// sent and waited for.
import type { Abi, Address, Hex } from "viem";
import { simulateContract, waitForTransactionReceipt, writeContract } from "viem/actions";
import { decodeRevert, type OctoClient } from "@octo/sdk";

export type SendContractParameters = {
  account: Address;
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
};

export async function sendContract(client: OctoClient, { account, ...call }: SendContractParameters): Promise<Hex> {
  let hash: Hex;
  try {
    const { request } = await simulateContract(client, { ...call, account } as never);
    hash = await writeContract(client, request as never);
  } catch (error) {
    throw decodeRevert(error) ?? error;
  }
  const receipt = await waitForTransactionReceipt(client, { hash });
  if (receipt.status !== "success") throw new Error(`${call.functionName} reverted (${hash})`);
  return hash;
}
