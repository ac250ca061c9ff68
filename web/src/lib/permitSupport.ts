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
import type { OctoClient } from "@octo/sdk";

// The three reads, not a whole token ABI: this runs on the home page, whose first load is kept small.
const permitAbi = [
  {
    type: "function",
    name: "nonces",
    stateMutability: "view",
    inputs: [{ name: "owner", type: "address" }],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "DOMAIN_SEPARATOR",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "bytes32" }],
  },
  {
    type: "function",
    name: "eip712Domain",
    stateMutability: "view",
    inputs: [],
    outputs: [
      { name: "fields", type: "bytes1" },
      { name: "name", type: "string" },
      { name: "version", type: "string" },
      { name: "chainId", type: "uint256" },
      { name: "verifyingContract", type: "address" },
      { name: "salt", type: "bytes32" },
      { name: "extensions", type: "uint256[]" },
    ],
  },
] as const;

export async function supportsPermit(client: OctoClient, token: Address): Promise<boolean> {
  const read = { address: token, abi: permitAbi } as const;
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
