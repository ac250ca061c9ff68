import type { Hash } from "viem";
import { jobMarketAbi } from "../generated/abis.ts";
import {
  requireAccount,
  writeAndWait,
  type OctoClient,
  type WithAccount,
  type WithDeployments,
} from "../internal/client.ts";

export type CancelJobParameters = WithDeployments & WithAccount & { jobId: bigint };
export type CancelJobReturnType = { hash: Hash };

/** Cancels an Open job and refunds its escrow (its user at any time; anyone after its deadline). */
export async function cancelJob(
  client: OctoClient,
  { deployments, jobId, account }: CancelJobParameters,
): Promise<CancelJobReturnType> {
  const from = requireAccount(client, account, "cancelJob");
  const { hash } = await writeAndWait(client, {
    account: from,
    address: deployments.contracts.JobMarket.address,
    abi: jobMarketAbi,
    functionName: "cancelJob",
    args: [jobId],
  });
  return { hash };
}
