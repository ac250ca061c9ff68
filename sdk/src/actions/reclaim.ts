import type { Hash } from "viem";
import { jobMarketAbi } from "../generated/abis.ts";
import {
  requireAccount,
  writeAndWait,
  type OctoClient,
  type WithAccount,
  type WithDeployments,
} from "../internal/client.ts";
import { getJob } from "./getJob.ts";

export type ReclaimParameters = WithDeployments & WithAccount & { jobId: bigint };
export type ReclaimReturnType = { hash: Hash; action: "cancelJob" | "timeoutJob" };

/** Gets the escrow of a job back after its deadline passed without a result: an Open job is cancelled, a Claimed one
 *  timed out (refund, and the provider's collateral to the user when it had the key). Reverts with the market's reason
 *  otherwise (JobDeadlineNotPassed, JobNotInStatus). */
export async function reclaim(
  client: OctoClient,
  { deployments, jobId, account }: ReclaimParameters,
): Promise<ReclaimReturnType> {
  const from = requireAccount(client, account, "reclaim");
  const { statusName } = await getJob(client, { deployments, jobId });
  const functionName = statusName === "Open" ? "cancelJob" : "timeoutJob";
  const { hash } = await writeAndWait(client, {
    account: from,
    address: deployments.contracts.JobMarket.address,
    abi: jobMarketAbi,
    functionName,
    args: [jobId],
  });
  return { hash, action: functionName };
}
