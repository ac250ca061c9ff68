import { parseEventLogs, type Address, type Hash } from "viem";
import { getBlockNumber, getContractEvents } from "viem/actions";
import { jobMarketAbi } from "../generated/abis.ts";
import {
  requireAccount,
  writeAndWait,
  type OctoClient,
  type WithAccount,
  type WithDeployments,
} from "../internal/client.ts";

export type DrawCommitteeParameters = WithDeployments &
  WithAccount & {
    jobId: bigint;
    /** The block the dispute named (`dispute` returns it); read from its DisputeOpened event when omitted. */
    drawBlock?: bigint;
    /** How long to wait for the dispute's draw block to be mined. Default 5 minutes. */
    timeoutMs?: number;
    /** Block polling. Default 1 s. */
    pollIntervalMs?: number;
  };
export type DrawCommitteeReturnType = { hash: Hash; committee: readonly Address[]; disputeEnd: number };

/**
 * Draws a disputed job's committee, stake-weighted, from the hash of the block the dispute named: waits until that
 * block is mined, then draws (anyone may; the disputer has the reason to). A committee smaller than a quorum settles
 * the dispute for the provider at once (`disputeEnd` is then the draw's own time).
 */
export async function drawCommittee(
  client: OctoClient,
  { deployments, jobId, account, timeoutMs = 300_000, pollIntervalMs = 1_000, ...p }: DrawCommitteeParameters,
): Promise<DrawCommitteeReturnType> {
  const from = requireAccount(client, account, "drawCommittee");
  const market = deployments.contracts.JobMarket.address;
  const drawBlock =
    p.drawBlock ?? (await openedAt(client, market, jobId, deployments.contracts.JobMarket.deployedOnBlock));
  const deadline = Date.now() + timeoutMs;
  // The draw reads the draw block's hash, so it must be mined, and the draw is simulated against the latest block,
  // whose number must already be past it.
  while ((await getBlockNumber(client, { cacheTime: 0 })) <= drawBlock) {
    if (Date.now() > deadline)
      throw new Error(`block ${drawBlock} (job ${jobId}'s draw block) was not mined within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
  const { hash, receipt } = await writeAndWait(client, {
    account: from,
    address: market,
    abi: jobMarketAbi,
    functionName: "drawCommittee",
    args: [jobId],
  });
  const [disputed] = parseEventLogs({ abi: jobMarketAbi, logs: receipt.logs, eventName: "JobDisputed" });
  return { hash, committee: disputed!.args.committee, disputeEnd: disputed!.args.disputeEnd };
}

async function openedAt(client: OctoClient, market: Address, jobId: bigint, fromBlock: bigint): Promise<bigint> {
  const logs = await getContractEvents(client, {
    address: market,
    abi: jobMarketAbi,
    eventName: "DisputeOpened",
    args: { jobId },
    fromBlock,
    strict: true,
  });
  const opened = logs.at(-1);
  if (!opened) throw new Error(`job ${jobId} has no dispute to draw a committee for`);
  return opened.args.drawBlock;
}
