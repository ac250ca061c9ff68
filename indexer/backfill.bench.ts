// Backfill speed: a chain holding many jobs' events (OCTO_BENCH_INDEXER_JOBS, default 10,000; each created, named to
// a staked provider, and cancelled: JobCreated + JobCancelled), indexed from the deployment block by a fresh indexer
// (PGlite). The jobs are made with direct contract calls, signed locally and mined in full blocks (automine off), not
// through the worker, and buried under Ponder's finality depth. `indexer.eventsPerSec` counts every log of the three
// contracts over the time from Ponder's first backfill log line to the head being indexed (its start-up build is left
// out: `indexer.startupMs`).
// Run from the repository root: node indexer/backfill.bench.ts
import { encodeFunctionData, keccak256, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEV_ROLES, freePort, startDevnet } from "@octo/devnet";
import { recordBench } from "@octo/devnet/bench";
import { jobMarketAbi } from "@octo/sdk";
import { startIndexer } from "@octo/indexer";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const JOBS = Number(process.env.OCTO_BENCH_INDEXER_JOBS ?? 10_000);
const BATCH = 500;

const devnet = await startDevnet({
  model: { name: "bench-model", weightsDigest: `0x${"22".repeat(32)}`, quantization: "f32", engine: "bench" },
});
const dir = mkdtempSync(join(tmpdir(), "octo-indexer-bench-"));
try {
  const holder = privateKeyToAccount(DEV_ROLES.validators[0]);
  await devnet.registerProvider({
    account: holder,
    encryptionPublicKey: keccak256(holder.address),
    pricePerToken: 1n,
    maxContext: 512,
  });
  const market = devnet.contracts.JobMarket.address;
  const firstJobId = await devnet.publicClient.readContract({
    address: market,
    abi: jobMarketAbi,
    functionName: "nextJobId",
  });
  const { timestamp } = await devnet.publicClient.getBlock();
  const request = {
    modelId: devnet.modelId!,
    paymentToken: devnet.contracts.MockUSDC.address,
    maxOutputTokens: 1,
    maxPricePerToken: 1n,
    minTier: 0,
    verifiable: true,
    callback: false,
    deadline: Number(timestamp) + 30 * 24 * 3600,
    provider: holder.address,
    userPublicKey: keccak256("0x01"),
    keyCommitment: 1n,
  } as const;
  const calls: Hex[] = [];
  for (let i = 0; i < JOBS; i++)
    calls.push(
      encodeFunctionData({
        abi: jobMarketAbi,
        functionName: "createJob",
        args: [request, `0x${i.toString(16).padStart(8, "0")}`, "", `0x${"00".repeat(32)}`],
      }),
    );
  for (let i = 0n; i < BigInt(JOBS); i++)
    calls.push(encodeFunctionData({ abi: jobMarketAbi, functionName: "cancelJob", args: [firstJobId + i] }));

  const made = performance.now();
  const wallet = devnet.walletClient(devnet.user);
  let nonce = await devnet.publicClient.getTransactionCount({ address: devnet.user.address, blockTag: "pending" });
  const fees = await devnet.publicClient.estimateFeesPerGas();
  await devnet.testClient.setAutomine(false);
  for (let start = 0; start < calls.length; start += BATCH) {
    for (const data of calls.slice(start, start + BATCH)) {
      await wallet.sendTransaction({
        to: market,
        data,
        gas: 400_000n,
        nonce: nonce++,
        maxFeePerGas: fees.maxFeePerGas * 2n,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      });
    }
    // Mine until the pool is empty (a block holds what its gas limit allows). Full blocks raise the base fee by 12.5 %
    // each (EIP-1559): hold it at its initial level so that every transaction's fee cap stays above it.
    for (;;) {
      await devnet.anvil.rpc("anvil_setNextBlockBaseFeePerGas", [`0x${fees.maxFeePerGas.toString(16)}`]);
      await devnet.testClient.mine({ blocks: 1 });
      const pool = await devnet.anvil.rpc<{ pending: string }>("txpool_status");
      if (BigInt(pool.pending) === 0n) break;
    }
  }
  await devnet.testClient.setAutomine(true);
  // A backfill reads finalized history: Ponder takes a block as final 30 blocks below the head on a chain it does not
  // know, and indexes the newer ones one block at a time as live blocks. Bury the jobs under that depth.
  await devnet.testClient.mine({ blocks: 40 });
  const makeMs = performance.now() - made;
  const head = await devnet.publicClient.getBlockNumber({ cacheTime: 0 });
  const next = await devnet.publicClient.readContract({
    address: market,
    abi: jobMarketAbi,
    functionName: "nextJobId",
  });
  if (next - firstJobId !== BigInt(JOBS)) throw new Error(`made ${next - firstJobId} jobs, not ${JOBS}`);

  // Every log of the three contracts, counted in block ranges (a whole range in one answer exceeds viem's size limit).
  const { JobMarket, StakingRegistry, ModelRegistry } = devnet.deployments.contracts;
  let events = 0;
  for (let from = 0n; from <= head; from += 20n) {
    const to = from + 19n < head ? from + 19n : head;
    events += (
      await devnet.publicClient.getLogs({
        address: [JobMarket.address, StakingRegistry.address, ModelRegistry.address],
        fromBlock: from,
        toBlock: to,
      })
    ).length;
  }

  const deploymentsPath = join(dir, "deployments.json");
  devnet.writeDeployments(deploymentsPath);
  const started = Date.now();
  let backfillStarted: number | undefined;
  const indexer = await startIndexer({
    deploymentsPath,
    rpcUrl: devnet.rpcUrl,
    port: await freePort(),
    pgliteDir: join(dir, "pglite"),
    onLog: (line) => {
      if (backfillStarted === undefined && /backfill/i.test(line))
        backfillStarted = (JSON.parse(line) as { time: number }).time;
    },
  });
  await indexer.waitForBlock(head, 1_800_000);
  const done = Date.now();
  await indexer.stop();
  const from = backfillStarted ?? started;
  console.log(
    `${JOBS} jobs (${events} events, ${head} blocks) made in ${Math.round(makeMs)} ms; indexed in ${done - from} ms after ${from - started} ms of start-up`,
  );
  recordBench({
    "indexer.eventsPerSec": Math.round(events / ((done - from) / 1000)),
    "indexer.backfillJobs": JOBS,
    "indexer.backfillEvents": events,
    "indexer.startupMs": from - started,
  });
} finally {
  await devnet.stop();
  rmSync(dir, { recursive: true, force: true });
}
