import type { GetContractEventsReturnType, Hash } from "viem";
import { getContractEvents } from "viem/actions";
import { jobMarketAbi } from "../generated/abis.ts";
import { ResultNotFoundError } from "../errors/errors.ts";
import type { OctoClient, WithDeployments } from "../internal/client.ts";

export type GetResultParameters = WithDeployments & { jobId: bigint };
/** The job's latest ResultSubmitted event: chunks, posted ciphertext, proofs, and where it was mined. */
export type GetResultReturnType = GetContractEventsReturnType<
  typeof jobMarketAbi,
  "ResultSubmitted",
  true
>[number]["args"] & { blockNumber: bigint; transactionHash: Hash };
export type GetResultErrorType = ResultNotFoundError;

/** A job's submitted result, as the chain carries it (still encrypted: see openResult). */
export async function getResult(
  client: OctoClient,
  { deployments, jobId }: GetResultParameters,
): Promise<GetResultReturnType> {
  const market = deployments.contracts.JobMarket;
  const logs = await getContractEvents(client, {
    address: market.address,
    abi: jobMarketAbi,
    eventName: "ResultSubmitted",
    args: { jobId },
    fromBlock: market.deployedOnBlock,
    strict: true,
  });
  const last = logs.at(-1);
  if (!last) throw new ResultNotFoundError(jobId);
  return { ...last.args, blockNumber: last.blockNumber, transactionHash: last.transactionHash };
}
