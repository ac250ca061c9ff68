// Every result submitted from a block on, with its job's status now and the time of its block: what
// `octo-audit export` writes.
import { getBlock, getContractEvents } from "viem/actions";
import { getJob } from "../actions/getJob.ts";
import type { GetResultReturnType } from "../actions/getResult.ts";
import { jobMarketAbi } from "../generated/abis.ts";
import type { OctoClient, WithDeployments } from "../internal/client.ts";

export type ExportedReceipt = {
  jobId: bigint;
  status: string;
  provider: `0x${string}`;
  blockNumber: bigint;
  transactionHash: `0x${string}`;
  timestamp: bigint;
  tokenCount: bigint;
  byteLength: bigint;
  chunkCount: number;
  outputRoot: `0x${string}`;
  ciphertextHash: `0x${string}`;
  ciphertextURI: string;
  result: GetResultReturnType;
};

export async function listReceipts(
  client: OctoClient,
  { deployments, fromBlock, toBlock }: WithDeployments & { fromBlock: bigint; toBlock?: bigint | undefined },
): Promise<ExportedReceipt[]> {
  const market = deployments.contracts.JobMarket;
  const start = fromBlock > market.deployedOnBlock ? fromBlock : market.deployedOnBlock;
  const logs = await getContractEvents(client, {
    address: market.address,
    abi: jobMarketAbi,
    eventName: "ResultSubmitted",
    fromBlock: start,
    ...(toBlock === undefined ? {} : { toBlock }),
    strict: true,
  });
  const times = new Map<bigint, bigint>();
  const receipts: ExportedReceipt[] = [];
  for (const log of logs) {
    if (!times.has(log.blockNumber))
      times.set(log.blockNumber, (await getBlock(client, { blockNumber: log.blockNumber })).timestamp);
    const job = await getJob(client, { deployments, jobId: log.args.jobId });
    const result = { ...log.args, blockNumber: log.blockNumber, transactionHash: log.transactionHash };
    receipts.push({
      jobId: log.args.jobId,
      status: job.statusName,
      provider: log.args.provider,
      blockNumber: log.blockNumber,
      transactionHash: log.transactionHash,
      timestamp: times.get(log.blockNumber)!,
      tokenCount: log.args.tokenCount,
      byteLength: log.args.byteLength,
      chunkCount: log.args.chunks.length,
      outputRoot: log.args.outputRoot,
      ciphertextHash: log.args.ciphertextHash,
      ciphertextURI: log.args.ciphertextURI,
      result,
    });
  }
  return receipts;
}

const csvColumns = [
  "jobId",
  "status",
  "provider",
  "blockNumber",
  "transactionHash",
  "timestamp",
  "tokenCount",
  "byteLength",
  "chunkCount",
  "outputRoot",
  "ciphertextHash",
  "ciphertextURI",
] as const;

/** The receipts as CSV, one row each, without the ciphertext and proofs (the JSON export carries those). */
export function receiptsToCsv(receipts: readonly ExportedReceipt[]): string {
  const cell = (v: unknown) => {
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [csvColumns.join(","), ...receipts.map((r) => csvColumns.map((c) => cell(r[c])).join(","))].join("\n") + "\n";
}
