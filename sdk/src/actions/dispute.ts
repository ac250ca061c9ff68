import { parseEventLogs, type Hash } from "viem";
import { jobMarketAbi } from "../generated/abis.ts";
import {
  requireAccount,
  writeAndWait,
  type OctoClient,
  type WithAccount,
  type WithDeployments,
} from "../internal/client.ts";

export type DisputeParameters = WithDeployments & WithAccount & { jobId: bigint };
export type DisputeReturnType = { hash: Hash; drawBlock: bigint };

/**
 * The user disputes a job's result within its challenge window (any job's bill; a verifiable job's output too). This only commits the dispute: its
 * committee is drawn from the hash of `drawBlock`, which nobody can know yet, by `drawCommittee` once that block is
 * mined (within 256 blocks; if nobody draws, the dispute lapses and settles for the provider). Then revealJobSecret
 * lets the committee re-run the job.
 */
export async function dispute(
  client: OctoClient,
  { deployments, jobId, account }: DisputeParameters,
): Promise<DisputeReturnType> {
  const from = requireAccount(client, account, "dispute");
  const { hash, receipt } = await writeAndWait(client, {
    account: from,
    address: deployments.contracts.JobMarket.address,
    abi: jobMarketAbi,
    functionName: "dispute",
    args: [jobId],
  });
  const [opened] = parseEventLogs({ abi: jobMarketAbi, logs: receipt.logs, eventName: "DisputeOpened" });
  return { hash, drawBlock: opened!.args.drawBlock };
}
