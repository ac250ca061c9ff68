// Whether the payment token takes an EIP-2612 permit, asked of the token itself: permit is offered (and chosen by
// default) only where it works, approve otherwise. The sdk signs a permit in the domain the token reports through
// EIP-5267 (`eip712Domain`) at its `nonces(owner)`, and the token checks it against its `DOMAIN_SEPARATOR`: all
// three must answer. A token without them reverts (or, with no such code at all, returns nothing): that is a no.
// Any other failure (the RPC down) is an error, not a no, so that the page says so rather than hide permit.
import {
  BaseError,
  ContractFunctionRevertedError,
  ContractFunctionZeroDataError,
  zeroAddress,
  type Address,
} from "viem";
import { readContract } from "viem/actions";
import { octoTokenAbi, type OctoClient } from "@octo/sdk";

export async function supportsPermit(client: OctoClient, token: Address): Promise<boolean> {
  // OctoToken's generated ABI: an OpenZeppelin ERC20Permit, so it names exactly the three EIP-2612 / EIP-5267 reads.
  const read = { address: token, abi: octoTokenAbi } as const;
  try {
    await Promise.all([
      readContract(client, { ...read, functionName: "nonces", args: [zeroAddress] }),
      readContract(client, { ...read, functionName: "DOMAIN_SEPARATOR" }),
      readContract(client, { ...read, functionName: "eip712Domain" }),
    ]);
    return true;
  } catch (error) {
    if (isNotImplemented(error)) return false;
    throw error;
  }
}

const isNotImplemented = (error: unknown) =>
  error instanceof BaseError &&
  error.walk((e) => e instanceof ContractFunctionRevertedError || e instanceof ContractFunctionZeroDataError) !== null;
