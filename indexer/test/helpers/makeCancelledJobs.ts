// Many jobs' events, fast: each job created open and cancelled (JobCreated + JobCancelled), sent as
// direct contract calls signed locally and mined in full blocks (automine off), then buried under Ponder's finality
// depth so that an indexer reads them as a backfill. Used by the backfill benchmark and the restart-mid-backfill test.
import { encodeFunctionData, keccak256, zeroAddress, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEV_ROLES, type Devnet } from "@octo/devnet";
import { jobMarketAbi, stakingRegistryAbi } from "@octo/sdk";

const BATCH = 500;

export async function makeCancelledJobs(devnet: Devnet, jobs: number): Promise<{ firstJobId: bigint; head: bigint }> {
  const holder = privateKeyToAccount(DEV_ROLES.validators[0]);
  const registered = await devnet.publicClient.readContract({
    address: devnet.contracts.StakingRegistry.address,
    abi: stakingRegistryAbi,
    functionName: "getProvider",
    args: [holder.address],
  });
  if (!registered.registered)
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
    // Open (naming nobody): a named job is claimed by its creation and could not be cancelled. Nobody serves here.
    provider: zeroAddress,
    userPublicKey: keccak256("0x01"),
    keyCommitment: 1n,
  } as const;
  const calls: Hex[] = [];
  for (let i = 0; i < jobs; i++)
    calls.push(
      encodeFunctionData({
        abi: jobMarketAbi,
        functionName: "createJob",
        args: [request, `0x${i.toString(16).padStart(8, "0")}`, "", `0x${"00".repeat(32)}`],
      }),
    );
  for (let i = 0n; i < BigInt(jobs); i++)
    calls.push(encodeFunctionData({ abi: jobMarketAbi, functionName: "cancelJob", args: [firstJobId + i] }));

  const wallet = devnet.walletClient(devnet.user);
  let nonce = await devnet.publicClient.getTransactionCount({ address: devnet.user.address, blockTag: "pending" });
  const fees = await devnet.publicClient.estimateFeesPerGas();
  await devnet.testClient.setAutomine(false);
  try {
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
      // Mine until the pool is empty (a block holds what its gas limit allows). Full blocks raise the base fee by
      // 12.5 % each (EIP-1559): hold it at its initial level so that every transaction's fee cap stays above it.
      for (;;) {
        await devnet.anvil.rpc("anvil_setNextBlockBaseFeePerGas", [`0x${fees.maxFeePerGas.toString(16)}`]);
        await devnet.anvil.rpc("evm_mine");
        const pool = await devnet.anvil.rpc<{ pending: string }>("txpool_status");
        if (BigInt(pool.pending) === 0n) break;
      }
    }
  } finally {
    await devnet.testClient.setAutomine(true);
  }
  // A backfill reads finalized history: Ponder takes a block as final 30 blocks below the head on a chain it does not
  // know, and indexes the newer ones one block at a time as live blocks. Bury the jobs under that depth. (Straight to
  // anvil: viem's 10 s request timeout is too short for anvil on a busy machine.)
  await devnet.anvil.rpc("anvil_mine", ["0x28"]);
  const next = await devnet.publicClient.readContract({
    address: market,
    abi: jobMarketAbi,
    functionName: "nextJobId",
  });
  if (next - firstJobId !== BigInt(jobs)) throw new Error(`made ${next - firstJobId} jobs, not ${jobs}`);
  return { firstJobId, head: await devnet.publicClient.getBlockNumber({ cacheTime: 0 }) };
}
