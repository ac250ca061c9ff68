// A local market with an indexer and a few jobs for the explorer's tests and figures: jobs the worker serves (real
// results, real proofs; the first finalized after its challenge window) and one cancelled job named to a second
// provider that never claims. The indexer has indexed all of it when this resolves.
import { createWalletClient, erc20Abi, http, keccak256, maxUint256, publicActions, zeroAddress, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { DEV_ROLES, freePort, fundAccount, registerDevModel, type Devnet } from "@octo/devnet";
import { startIndexer, type StartIndexerReturnType } from "@octo/indexer";
import { JobStatus, jobMarketAbi, octoActions } from "@octo/sdk";
import { startLocalMarket, type StartLocalMarketReturnType } from "@octo/worker/localMarket";

export type ExplorerMarket = {
  market: StartLocalMarketReturnType;
  indexer: StartIndexerReturnType;
  jobs: { finalized: bigint; submitted: bigint; cancelled: bigint };
  /** The second provider (registered, never claims). */
  idleProvider: Hex;
  stop(): Promise<void>;
};

/** The devnet's user as an sdk client (createJob, cancelJob, getJob, …). */
export function marketUser(devnet: Devnet) {
  return createWalletClient({ chain: foundry, transport: http(devnet.rpcUrl), account: devnet.user })
    .extend(publicActions)
    .extend(octoActions({ deployments: devnet.deployments }));
}

export async function startExplorerMarket(): Promise<ExplorerMarket> {
  const market = await startLocalMarket({ model: "fixture", logLevel: "silent" });
  let indexer: StartIndexerReturnType | undefined;
  try {
    const { devnet } = market;
    const user = marketUser(devnet);
    const idle = privateKeyToAccount(DEV_ROLES.validators[0]);
    // Any 32 bytes is an X25519 public key; this provider never opens a job.
    await devnet.registerProvider({
      account: idle,
      encryptionPublicKey: keccak256(idle.address),
      pricePerToken: 10n,
      maxContext: 512,
    });
    const userKey = await user.getUserKey();
    const create = async (provider: Hex | undefined, maxPricePerToken = 10n) =>
      (
        await user.createJob({
          input: { messages: [{ role: "user", content: "Write one word." }] },
          modelId: devnet.modelId!,
          paymentToken: devnet.contracts.MockUSDC.address,
          ...(provider === undefined ? {} : { provider }),
          maxOutputTokens: 8,
          maxPricePerToken,
          userKey,
        })
      ).jobId;
    const waitFor = async (jobId: bigint, wanted: number) => {
      for (let i = 0; (await user.getJob({ jobId })).status !== wanted; i++) {
        if (i > 1200) throw new Error(`job ${jobId} did not reach status ${wanted} in 4 minutes`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const finalized = await create(market.provider.address);
    await waitFor(finalized, JobStatus.Submitted);
    await devnet.passChallengeWindow();
    await devnet
      .write(devnet.user, {
        address: devnet.contracts.JobMarket.address,
        abi: jobMarketAbi,
        functionName: "finalize",
        args: [finalized],
      })
      .catch(() => undefined); // the worker may have finalized it first
    await waitFor(finalized, JobStatus.Finalized);
    const submitted = await create(market.provider.address);
    await waitFor(submitted, JobStatus.Submitted);
    // Open (a named job is claimed by its creation and cannot be cancelled), priced below every offer so that no
    // worker claims it before its user cancels it.
    const cancelled = await create(undefined, 1n);
    await user.cancelJob({ jobId: cancelled });

    indexer = await startIndexer({
      deploymentsPath: market.deploymentsPath,
      rpcUrl: devnet.rpcUrl,
      port: await freePort(),
      pollingIntervalMs: 200,
    });
    const started = indexer;
    return {
      market,
      indexer: started,
      jobs: { finalized, submitted, cancelled },
      idleProvider: idle.address,
      async stop() {
        await started.stop();
        await market.stop();
      },
    };
  } catch (error) {
    await indexer?.stop();
    await market.stop();
    throw error;
  }
}

async function waitForStatus(devnet: Devnet, jobId: bigint, wanted: number) {
  const user = marketUser(devnet);
  for (let i = 0; (await user.getJob({ jobId })).status !== wanted; i++) {
    if (i > 1200) throw new Error(`job ${jobId} did not reach status ${wanted} in 4 minutes`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A job the worker serves and its user disputes: two more validators are staked (with the idle provider, three
 * can sit on a committee), the committee is drawn and only its first member votes (clean), so the job stays
 * Disputed with one seat voted and the others empty. Resolves once the indexer has the vote.
 */
export async function disputeServedJob(env: ExplorerMarket): Promise<{ jobId: bigint; committee: Hex[]; voter: Hex }> {
  const { devnet } = env.market;
  const validators = DEV_ROLES.validators.slice(0, 3).map((key) => privateKeyToAccount(key));
  for (const account of validators.slice(1))
    await devnet.registerProvider({
      account,
      encryptionPublicKey: keccak256(account.address),
      pricePerToken: 10n,
      maxContext: 512,
    });
  const user = marketUser(devnet);
  const { jobId } = await user.createJob({
    input: { messages: [{ role: "user", content: "Write one word." }] },
    modelId: devnet.modelId!,
    paymentToken: devnet.contracts.MockUSDC.address,
    provider: env.market.provider.address,
    maxOutputTokens: 8,
    maxPricePerToken: 10n,
    userKey: await user.getUserKey(),
  });
  await waitForStatus(devnet, jobId, JobStatus.Submitted);
  const { drawBlock } = await user.dispute({ jobId });
  // The committee comes from a block after the draw block; the local chain mines only on transactions.
  await devnet.testClient.mine({ blocks: Number(drawBlock - (await devnet.publicClient.getBlockNumber())) + 1 });
  const { committee } = await user.drawCommittee({ jobId, drawBlock, pollIntervalMs: 100 });
  const voter = validators.find((v) => v.address.toLowerCase() === committee[0]!.toLowerCase());
  if (!voter) throw new Error(`job ${jobId}: committee member ${committee[0]} is not one of the test's validators`);
  const { blockNumber } = await devnet.write(voter, {
    address: devnet.contracts.JobMarket.address,
    abi: jobMarketAbi,
    functionName: "voteOnDispute",
    args: [jobId, false],
  });
  await env.indexer.waitForBlock(blockNumber);
  return { jobId, committee: [...committee], voter: voter.address };
}

/**
 * `count` open jobs of another user (a fresh key funded by the devnet's faucet) for a second model listed here, each
 * cancelled at once: a user and a model that the other jobs do not share, and enough jobs to fill more than a page.
 * Sent as direct contract calls (nobody serves them). Resolves once the indexer has them all.
 */
export async function otherUsersJobs(
  env: ExplorerMarket,
  count: number,
): Promise<{ user: Hex; modelId: Hex; jobIds: bigint[] }> {
  const { devnet } = env.market;
  const account = privateKeyToAccount(generatePrivateKey());
  await fundAccount({ rpcUrl: devnet.rpcUrl, deployments: devnet.deployments, address: account.address, octo: 0 });
  const { modelId } = await registerDevModel({
    rpcUrl: devnet.rpcUrl,
    deployments: devnet.deployments,
    spec: { name: "second-model", weightsDigest: `0x${"33".repeat(32)}`, quantization: "f32", engine: "none" },
  });
  const market = devnet.contracts.JobMarket.address;
  await devnet.write(account, {
    address: devnet.contracts.MockUSDC.address,
    abi: erc20Abi,
    functionName: "approve",
    args: [market, maxUint256],
  });
  const { timestamp } = await devnet.publicClient.getBlock();
  const request = {
    modelId,
    paymentToken: devnet.contracts.MockUSDC.address,
    maxOutputTokens: 1,
    maxPricePerToken: 1n,
    minTier: 0,
    verifiable: true,
    callback: false,
    deadline: Number(timestamp) + 24 * 3600,
    provider: zeroAddress, // open: a named job is claimed by its creation and could not be cancelled
    userPublicKey: keccak256("0x01"),
    keyCommitment: 1n,
  } as const;
  const jobIds: bigint[] = [];
  let blockNumber = 0n;
  for (let i = 0; i < count; i++) {
    const jobId = await devnet.publicClient.readContract({
      address: market,
      abi: jobMarketAbi,
      functionName: "nextJobId",
    });
    await devnet.write(account, {
      address: market,
      abi: jobMarketAbi,
      functionName: "createJob",
      args: [request, `0x${i.toString(16).padStart(8, "0")}`, "", `0x${"00".repeat(32)}`],
    });
    ({ blockNumber } = await devnet.write(account, {
      address: market,
      abi: jobMarketAbi,
      functionName: "cancelJob",
      args: [jobId],
    }));
    jobIds.push(jobId);
  }
  await env.indexer.waitForBlock(blockNumber);
  return { user: account.address, modelId, jobIds };
}
