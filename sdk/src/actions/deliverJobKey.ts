import { bytesToHex, hexToBytes, type Hash } from "viem";
import { readContract } from "viem/actions";
import { wrapJobSecret } from "@octo/circuits";
import { jobMarketAbi, stakingRegistryAbi } from "../generated/abis.ts";
import {
  requireAccount,
  writeAndWait,
  type OctoClient,
  type WithAccount,
  type WithDeployments,
} from "../internal/client.ts";

export type DeliverJobKeyParameters = WithDeployments & WithAccount & { jobId: bigint; jobSecret: Uint8Array };
export type DeliverJobKeyReturnType = { hash: Hash };

/** The user hands an open job's secret to the provider that claimed it, wrapped for that provider's registered key. */
export async function deliverJobKey(
  client: OctoClient,
  { deployments, jobId, jobSecret, account }: DeliverJobKeyParameters,
): Promise<DeliverJobKeyReturnType> {
  const from = requireAccount(client, account, "deliverJobKey");
  const { provider } = await readContract(client, {
    address: deployments.contracts.JobMarket.address,
    abi: jobMarketAbi,
    functionName: "getJob",
    args: [jobId],
  });
  const { encryptionKey } = await readContract(client, {
    address: deployments.contracts.StakingRegistry.address,
    abi: stakingRegistryAbi,
    functionName: "getProvider",
    args: [provider],
  });
  const { ephemeralPublicKey, wrapped } = wrapJobSecret({ jobSecret, providerPublicKey: hexToBytes(encryptionKey) });
  const { hash } = await writeAndWait(client, {
    account: from,
    address: deployments.contracts.JobMarket.address,
    abi: jobMarketAbi,
    functionName: "deliverJobKey",
    args: [jobId, bytesToHex(ephemeralPublicKey), bytesToHex(wrapped)],
  });
  return { hash };
}
