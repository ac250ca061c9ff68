import type { ContractFunctionReturnType } from "viem";
import { readContract } from "viem/actions";
import { jobMarketAbi } from "../generated/abis.ts";
import { JobStatusNames, type JobStatusName } from "../generated/enums.ts";
import { JobNotFoundError } from "../errors/errors.ts";
import type { OctoClient, WithDeployments } from "../internal/client.ts";

export type GetJobParameters = WithDeployments & { jobId: bigint };
export type GetJobReturnType = ContractFunctionReturnType<typeof jobMarketAbi, "view", "getJob"> & {
  statusName: JobStatusName;
};
export type GetJobErrorType = JobNotFoundError;

/** A job's stored state, with its status by name. Throws JobNotFoundError for an id the market never issued. */
export async function getJob(client: OctoClient, { deployments, jobId }: GetJobParameters): Promise<GetJobReturnType> {
  const job = await readContract(client, {
    address: deployments.contracts.JobMarket.address,
    abi: jobMarketAbi,
    functionName: "getJob",
    args: [jobId],
  });
  if (job.status === 0) throw new JobNotFoundError(jobId);
  return { ...job, statusName: JobStatusNames[job.status]! };
}
