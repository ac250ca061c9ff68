import { parseEventLogs, type Address, type Hash } from "viem";
import { jobMarketAbi } from "../generated/abis.ts";
import { requireAccount, writeAndWait, type OctoClient, type WithAccount, type WithDeployments } from "../internal/client.ts";

export type DisputeParameters = WithDeployments & WithAccount & { jobId: bigint };
export type DisputeReturnType = { hash: Hash; committee: readonly Address[]; disputeEnd: number };

/** The user disputes a verifiable job's result within its challenge window; the market draws a committee. Follow with
 *  revealJobSecret so that the committee can re-run the job. */
export async function dispute(client: OctoClient, { deployments, jobId, account }: DisputeParameters): Promise<DisputeReturnType> {
  const from = requireAccount(client, account, "dispute");
  const { hash, receipt } = await writeAndWait(client, { account: from, address: deployments.contracts.JobMarket.address, abi: jobMarketAbi, functionName: "dispute", args: [jobId] });
  const [disputed] = parseEventLogs({ abi: jobMarketAbi, logs: receipt.logs, eventName: "JobDisputed" });
  return { hash, committee: disputed!.args.committee, disputeEnd: disputed!.args.disputeEnd };
}
