import type { Hash } from "viem";
import { readContract } from "viem/actions";
import { jobMarketAbi } from "../generated/abis.ts";
import {
  requireAccount,
  writeAndWait,
  type OctoClient,
  type WithAccount,
  type WithDeployments,
} from "../internal/client.ts";
import { wrapJobSecretForCommittee } from "./wrapJobSecretForCommittee.ts";

export type RevealJobSecretParameters = WithDeployments & WithAccount & { jobId: bigint; jobSecret: Uint8Array };
export type RevealJobSecretReturnType = { hash: Hash };

/** Gives a disputed job's committee its input: the job secret wrapped to each member's registered key, in committee
 *  order. The members can then open the prompt and re-run the job; nobody else can. */
export async function revealJobSecret(
  client: OctoClient,
  { deployments, jobId, jobSecret, account }: RevealJobSecretParameters,
): Promise<RevealJobSecretReturnType> {
  const from = requireAccount(client, account, "revealJobSecret");
  const [committee] = await readContract(client, {
    address: deployments.contracts.JobMarket.address,
    abi: jobMarketAbi,
    functionName: "getDispute",
    args: [jobId],
  });
  const { ephemeralPublicKey, wrappedSecrets } = await wrapJobSecretForCommittee(client, {
    stakingRegistry: deployments.contracts.StakingRegistry.address,
    committee,
    jobSecret,
  });
  const { hash } = await writeAndWait(client, {
    account: from,
    address: deployments.contracts.JobMarket.address,
    abi: jobMarketAbi,
    functionName: "revealJobSecret",
    args: [jobId, ephemeralPublicKey, wrappedSecrets],
  });
  return { hash };
}
