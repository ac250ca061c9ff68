// An EIP-2612 permit, shared by the actions that pay in the same transaction as they approve (createJob, deposit).
import { parseSignature, type Address } from "viem";
import { getBlock, readContract, signTypedData } from "viem/actions";
import { octoTokenAbi } from "../generated/abis.ts";
import { accountAddress, type OctoClient } from "./client.ts";

/** An EIP-2612 permit for `value`, in the token's own EIP-712 domain (EIP-5267) and at its current nonce. */
export async function signPermit(
  client: OctoClient,
  {
    account,
    token,
    spender,
    value,
  }: { account: Parameters<typeof signTypedData>[1]["account"] & {}; token: Address; spender: Address; value: bigint },
) {
  const owner = accountAddress(account);
  const [, name, version, chainId, verifyingContract] = await readContract(client, {
    address: token,
    abi: octoTokenAbi,
    functionName: "eip712Domain",
  });
  const nonce = await readContract(client, {
    address: token,
    abi: octoTokenAbi,
    functionName: "nonces",
    args: [owner],
  });
  const deadline = (await getBlock(client)).timestamp + 3600n;
  const signature = await signTypedData(client, {
    account,
    domain: { name, version, chainId: Number(chainId), verifyingContract },
    types: {
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "Permit",
    message: { owner, spender, value, nonce, deadline },
  });
  const { v, r, s, yParity } = parseSignature(signature);
  return { v: Number(v ?? BigInt(yParity + 27)), r, s, deadline };
}
