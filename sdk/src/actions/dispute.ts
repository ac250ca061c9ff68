import { erc20Abi, parseEventLogs, type Hash } from "viem";
import { getContractEvents, readContract } from "viem/actions";
import { jobMarketAbi } from "../generated/abis.ts";
import {
  accountAddress,
  requireAccount,
  writeAndWait,
  type OctoClient,
  type WithAccount,
  type WithDeployments,
} from "../internal/client.ts";

export type DisputeParameters = WithDeployments & WithAccount & { jobId: bigint };
export type DisputeReturnType = { hash: Hash; drawBlock: bigint; bond: bigint };

/**
 * The user disputes a job's result within its challenge window (any job's bill; a verifiable job's output too),
 * posting the market's dispute bond (a share of the escrow, `disputeTerms`): from the user's balance in the market
 * for a job paid from it, else by transfer (approved here first when the allowance is short). The bond comes back
 * when the provider is found at fault (or nobody votes) and pays the voting committee otherwise. This only commits
 * the dispute: its committee is drawn from the hash of `drawBlock`, which nobody can know yet, by `drawCommittee`
 * once that block is mined (within 256 blocks; if nobody draws, the dispute lapses and settles for the provider).
 * Then revealJobSecret lets the committee re-run the job.
 */
export async function dispute(
  client: OctoClient,
  { deployments, jobId, account }: DisputeParameters,
): Promise<DisputeReturnType> {
  const from = requireAccount(client, account, "dispute");
  const market = deployments.contracts.JobMarket;
  const [job, [bondBps]] = await Promise.all([
    readContract(client, { address: market.address, abi: jobMarketAbi, functionName: "getJob", args: [jobId] }),
    readContract(client, { address: market.address, abi: jobMarketAbi, functionName: "disputeTerms" }),
  ]);
  const bond = (BigInt(job.maxOutputTokens) * job.maxPricePerToken * BigInt(bondBps)) / 10_000n;
  if (bond > 0n && !(await paidFromBalance(client, market, jobId))) {
    const [token] = await readContract(client, {
      address: market.address,
      abi: jobMarketAbi,
      functionName: "paymentToken",
      args: [job.paymentTokenId],
    });
    const allowance = await readContract(client, {
      address: token,
      abi: erc20Abi,
      functionName: "allowance",
      args: [accountAddress(from), market.address],
    });
    if (allowance < bond)
      await writeAndWait(client, {
        account: from,
        address: token,
        abi: erc20Abi,
        functionName: "approve",
        args: [market.address, bond],
      });
  }
  const { hash, receipt } = await writeAndWait(client, {
    account: from,
    address: market.address,
    abi: jobMarketAbi,
    functionName: "dispute",
    args: [jobId],
  });
  const [opened] = parseEventLogs({ abi: jobMarketAbi, logs: receipt.logs, eventName: "DisputeOpened" });
  return { hash, drawBlock: opened!.args.drawBlock, bond: opened!.args.bond };
}

/** Whether the job's escrow came from its user's balance in the market (its JobCreated says so). */
async function paidFromBalance(
  client: OctoClient,
  market: DisputeParameters["deployments"]["contracts"]["JobMarket"],
  jobId: bigint,
): Promise<boolean> {
  const [created] = await getContractEvents(client, {
    address: market.address,
    abi: jobMarketAbi,
    eventName: "JobCreated",
    args: { jobId },
    fromBlock: market.deployedOnBlock,
  });
  return created?.args.fromBalance === true;
}
