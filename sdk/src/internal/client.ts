// What every action shares: the client types it accepts, the account it signs with, and a write that simulates first
// (so a revert is decoded before anything is sent), sends, and waits for the receipt.
import type {
  Abi,
  Account,
  Address,
  Chain,
  Client,
  ContractFunctionArgs,
  ContractFunctionName,
  Hash,
  TransactionReceipt,
  Transport,
} from "viem";
import { estimateContractGas, simulateContract, waitForTransactionReceipt, writeContract } from "viem/actions";
import { decodeRevert } from "../errors/decodeRevert.ts";
import { AccountNotFoundError, TransactionRevertedError } from "../errors/errors.ts";
import type { Deployments } from "../deployments.ts";

export type OctoClient = Client<Transport, Chain | undefined, Account | undefined>;

/** Every action reads the market's addresses from here; `octoActions({ deployments })` fills it in. */
export type WithDeployments = { deployments: Deployments };
/** Actions that send a transaction take an account, unless the client has one. */
export type WithAccount = { account?: Account | Address | undefined };

export function requireAccount(
  client: OctoClient,
  account: Account | Address | undefined,
  action: string,
): Account | Address {
  const chosen = account ?? client.account;
  if (!chosen) throw new AccountNotFoundError(action);
  return chosen;
}

export const accountAddress = (account: Account | Address): Address =>
  typeof account === "string" ? account : account.address;

type WriteFunction<abi extends Abi> = ContractFunctionName<abi, "nonpayable" | "payable">;

/** Simulates, sends and waits; a revert (simulated or mined) is thrown as ContractRevertedError when it is ours. */
export async function writeAndWait<const abi extends Abi, functionName extends WriteFunction<abi>>(
  client: OctoClient,
  parameters: {
    address: Address;
    abi: abi;
    functionName: functionName;
    args: ContractFunctionArgs<abi, "nonpayable" | "payable", functionName>;
    account: Account | Address;
  },
): Promise<{ hash: Hash; receipt: TransactionReceipt }> {
  let hash: Hash;
  try {
    // writeAndWait's own signature checks the function name and arguments against the ABI; viem's simulate generics
    // cannot follow a client whose chain is `Chain | undefined` through a generic wrapper, hence the one cast here.
    const { request } = await simulateContract(client, parameters as never);
    // A margin over the estimate, as wallets add: some calls cost more in the block that mines them than in the one
    // they were estimated against (a dispute's committee draw is seeded by the block).
    const gas = await estimateContractGas(client, parameters as never);
    hash = await writeContract(client, { ...(request as object), gas: (gas * 5n) / 4n } as never);
  } catch (error) {
    throw decodeRevert(error) ?? error;
  }
  const receipt = await waitForTransactionReceipt(client, { hash });
  if (receipt.status !== "success") throw new TransactionRevertedError(String(parameters.functionName), hash);
  return { hash, receipt };
}
