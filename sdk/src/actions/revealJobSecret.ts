import { bytesToHex, hexToBytes, type Hash } from "viem";
import { readContract } from "viem/actions";
import { wrapJobSecretForMany } from "@octo/circuits";
import { jobMarketAbi, stakingRegistryAbi } from "../generated/abis.ts";
import { requireAccount, writeAndWait, type OctoClient, type WithAccount, type WithDeployments } from "../internal/client.ts";

export type RevealJobSecretParameters = WithDeployments & WithAccount & { jobId: bigint; jobSecret: Uint8Array };
export type RevealJobSecretReturnType = { hash: Hash };

/** Gives a disputed job's committee its input: the job secret wrapped to each member's registered key, in committee
 *  order. The members can then open the prompt and re-run the job; nobody else can. */
export async function revealJobSecret(client: OctoClient, { deployments, jobId, jobSecret, account }: RevealJobSecretParameters): Promise<RevealJobSecretReturnType> {
  const from = requireAccount(client, account, "revealJobSecret");
  const [committee] = await readContract(client, { address: deployments.contracts.JobMarket.address, abi: jobMarketAbi, functionName: "getDispute", args: [jobId] });
  const recipientPublicKeys: Uint8Array[] = [];
  for (const member of committee) {
    const { encryptionKey } = await readContract(client, { address: deployments.contracts.StakingRegistry.address, abi: stakingRegistryAbi, functionName: "getProvider", args: [member] });
    recipientPublicKeys.push(hexToBytes(encryptionKey));
  }
  const { ephemeralPublicKey, wrapped } = wrapJobSecretForMany({ jobSecret, recipientPublicKeys });
  const { hash } = await writeAndWait(client, { account: from, address: deployments.contracts.JobMarket.address, abi: jobMarketAbi, functionName: "revealJobSecret", args: [jobId, bytesToHex(ephemeralPublicKey), wrapped.map((w) => bytesToHex(w))] });
  return { hash };
}
