// An EIP-2612 permit signed by `owner`, with the token's own EIP-712 domain (EIP-5267 `eip712Domain()`) and nonce,
// so tests never restate a token's name or version.
import { Signature, type Signer } from "ethers";
import type { MockUSDC, OctoToken } from "../../../types/ethers-contracts/index.ts";

const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

export async function signPermit(p: {
  token: OctoToken | MockUSDC;
  owner: Signer;
  spender: string;
  value: bigint;
  deadline: number;
}) {
  const [, name, version, chainId, verifyingContract] = await p.token.eip712Domain();
  const owner = await p.owner.getAddress();
  const nonce = await p.token.nonces(owner);
  const signature = await p.owner.signTypedData({ name, version, chainId, verifyingContract }, PERMIT_TYPES, {
    owner,
    spender: p.spender,
    value: p.value,
    nonce,
    deadline: p.deadline,
  });
  return Signature.from(signature);
}
