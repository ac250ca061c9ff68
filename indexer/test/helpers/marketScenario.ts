// A local market with a job in every state the market has: finalized (by time, and by a dispute the provider won),
// cancelled, refunded (a named provider's release), timed out (slashed for holding a delivered key past the
// deadline), slashed (a dispute the provider lost), finalized by a dispute that lapsed without quorum (its silent
// members each get VoteMissed) and still disputed. The worker (@octo/worker/localMarket) serves
// the jobs that need a real proven result; three validators (staked providers of the same model, played by the test
// with direct contract calls) hold the jobs the worker never runs and sit on the committees.
import {
  createWalletClient,
  http,
  keccak256,
  maxUint256,
  publicActions,
  type Abi,
  type Address,
  type Hex,
  type PrivateKeyAccount,
  zeroHash,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { DEV_ROLES, readArtifact, type Devnet } from "@octo/devnet";
import { JobStatus, jobMarketAbi, octoActions, ReleaseReason, stakingRegistryAbi } from "@octo/sdk";
import { startLocalMarket, type StartLocalMarketReturnType } from "@octo/worker/localMarket";

export type MarketScenario = Awaited<ReturnType<typeof startMarketScenario>>;

export async function startMarketScenario() {
  const market = await startLocalMarket({ model: "fixture", logLevel: "silent" });
  try {
    return await playScenario(market);
  } catch (error) {
    await market.stop();
    throw error;
  }
}

async function playScenario(market: StartLocalMarketReturnType) {
  const { devnet } = market;
  const user = createWalletClient({
    chain: foundry,
    transport: http(devnet.rpcUrl),
    account: devnet.user,
    pollingInterval: 100,
  })
    .extend(publicActions)
    .extend(octoActions({ deployments: devnet.deployments }));
  const jobMarket = devnet.contracts.JobMarket.address;
  const validators = DEV_ROLES.validators.slice(0, 3).map((key) => privateKeyToAccount(key));
  for (const account of validators) {
    // Any 32 bytes is an X25519 public key; these validators never open a job, so nobody needs the private half.
    await devnet.registerProvider({
      account,
      encryptionPublicKey: keccak256(account.address),
      pricePerToken: 10n,
      maxContext: 512,
    });
  }
  const userKey = await user.getUserKey();
  const secrets = new Map<bigint, Uint8Array>();
  const create = async (
    provider: Hex | undefined,
    deadlineSeconds?: number,
    paymentToken = devnet.contracts.MockUSDC.address,
  ) => {
    const job = await user.createJob({
      input: { messages: [{ role: "user", content: "Write one word." }] },
      modelId: devnet.modelId!,
      paymentToken,
      ...(provider === undefined ? {} : { provider }),
      maxOutputTokens: 8,
      maxPricePerToken: 10n,
      userKey,
      ...(deadlineSeconds === undefined ? {} : { deadlineSeconds }),
    });
    secrets.set(job.jobId, job.jobSecret);
    return job.jobId;
  };
  const status = async (jobId: bigint) => (await user.getJob({ jobId })).status;
  const waitFor = async (jobId: bigint, wanted: number) => {
    for (let i = 0; (await status(jobId)) !== wanted; i++) {
      if (i > 1200)
        throw new Error(`job ${jobId} did not reach status ${wanted} in 4 minutes (it is ${await status(jobId)})`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const asValidator = (account: PrivateKeyAccount, functionName: "claimJob" | "timeoutJob", jobId: bigint) =>
    devnet.write(account, { address: jobMarket, abi: jobMarketAbi, functionName, args: [jobId] });

  // Served by the worker: one to finalize by time, four to dispute.
  const served = {
    finalized: await create(market.provider.address),
    slashed: await create(market.provider.address),
    cleared: await create(market.provider.address),
    lapsed: await create(market.provider.address),
    disputed: await create(market.provider.address),
  };
  for (const jobId of Object.values(served)) await waitFor(jobId, JobStatus.Submitted);

  // Disputes: opened by the user, drawn once the draw block is mined, voted on by the committee.
  const disputeAndDraw = async (jobId: bigint) => {
    const { drawBlock } = await user.dispute({ jobId });
    await devnet.testClient.mine({ blocks: Number(drawBlock - (await devnet.publicClient.getBlockNumber())) + 1 });
    const { committee } = await user.drawCommittee({ jobId, drawBlock, pollIntervalMs: 100 });
    if (committee.length < 2)
      throw new Error(`job ${jobId}: a committee of ${committee.length} cannot reach the quorum of 2`);
    return committee.map((address) => validators.find((v) => v.address === address)!);
  };
  const vote = (account: PrivateKeyAccount, jobId: bigint, providerAtFault: boolean) =>
    devnet.write(account, {
      address: jobMarket,
      abi: jobMarketAbi,
      functionName: "voteOnDispute",
      args: [jobId, providerAtFault],
    });
  const slashCommittee = await disputeAndDraw(served.slashed);
  for (const member of slashCommittee.slice(0, 2)) await vote(member, served.slashed, true);
  const clearCommittee = await disputeAndDraw(served.cleared);
  for (const member of clearCommittee.slice(0, 2)) await vote(member, served.cleared, false);
  const lapsedCommittee = await disputeAndDraw(served.lapsed);
  // Revealed (the worker may reveal too): silence after a reveal is what costs a member reputation.
  await user.revealJobSecret({ jobId: served.lapsed, jobSecret: secrets.get(served.lapsed)! });
  await vote(lapsedCommittee[0]!, served.lapsed, true);
  const openCommittee = await disputeAndDraw(served.disputed);
  await vote(openCommittee[0]!, served.disputed, true);

  // Finalized by time: past the challenge window, by the worker or else by the user.
  await devnet.passChallengeWindow();
  await devnet
    .write(devnet.user, { address: jobMarket, abi: jobMarketAbi, functionName: "finalize", args: [served.finalized] })
    .catch(() => undefined);
  await waitFor(served.finalized, JobStatus.Finalized);
  // From here on only the test acts: the chain stays still while the indexer is compared with it.
  await market.worker.stop();
  // The lapsed dispute: one vote in a whole dispute window, so the provider is paid and the silent members recorded.
  const [, , disputeWindow] = await devnet.publicClient.readContract({
    address: jobMarket,
    abi: jobMarketAbi,
    functionName: "parameters",
  });
  await devnet.passTime(disputeWindow + 1);
  await devnet.write(devnet.user, {
    address: jobMarket,
    abi: jobMarketAbi,
    functionName: "finalize",
    args: [served.lapsed],
  });

  const [holder] = validators as [PrivateKeyAccount];
  // Only a job that names no provider is ever Open (a named one is claimed by its creation).
  const cancelled = await create(undefined);
  await user.cancelJob({ jobId: cancelled });
  const refunded = await create(holder.address);
  await devnet.write(holder, {
    address: jobMarket,
    abi: jobMarketAbi,
    functionName: "releaseJob",
    args: [refunded, ReleaseReason.OutOfCapacity],
  });
  const timedOut = await create(holder.address, 600);
  await devnet.passTime(601);
  await asValidator(holder, "timeoutJob", timedOut);
  const open = await create(undefined);
  // Open (naming nobody), so that its user can cancel it while blocked: the refund is credited, then withdrawn.
  const { jobId: credited, token: blocklistToken } = await creditedRefund(devnet, holder, {
    create: (token) => create(undefined, undefined, token),
    cancel: (jobId) => user.cancelJob({ jobId }),
  });
  // The market's fees (from the finalized jobs) to its treasury: anyone may call it.
  await devnet.write(devnet.user, {
    address: jobMarket,
    abi: jobMarketAbi,
    functionName: "withdrawFees",
    args: [devnet.contracts.MockUSDC.address],
  });

  return {
    market,
    devnet,
    user,
    validators,
    jobs: { ...served, cancelled, refunded, timedOut, open, credited },
    /** The lapsed dispute's members that never voted. */
    silentMembers: lapsedCommittee.slice(1).map((member) => member.address),
    /** The scenario's second payment token (BlocklistToken), allowed by governance. */
    blocklistToken,
    /** The worker is stopped already; this stops the chain. */
    stop: () => devnet.stop(),
  };
}

/**
 * A refund the payment token refuses to transfer (its issuer blocked the user) is credited by the market
 * to the user's balance (PaymentCredited), then withdrawn once the user is unblocked (Withdrawn). The token is the contracts' test
 * BlocklistToken, allowed as a payment token by the devnet's governance (the deployer).
 */
async function creditedRefund(
  devnet: Devnet,
  holder: PrivateKeyAccount,
  job: { create: (paymentToken: Address) => Promise<bigint>; cancel: (jobId: bigint) => Promise<unknown> },
): Promise<{ jobId: bigint; token: Address }> {
  const { abi, bytecode } = readArtifact("mocks/BlocklistToken.sol", "BlocklistToken");
  const tokenAbi = abi as Abi;
  const deployed = await devnet.walletClient(devnet.deployer).deployContract({ abi: tokenAbi, bytecode });
  const token = (await devnet.publicClient.waitForTransactionReceipt({ hash: deployed })).contractAddress as Address;
  const market = devnet.contracts.JobMarket.address;
  const tokenCall = async (account: PrivateKeyAccount, functionName: string, args: readonly unknown[]) => {
    const hash = await devnet
      .walletClient(account)
      .writeContract({ address: token, abi: tokenAbi, functionName, args, chain: devnet.chain, account });
    await devnet.publicClient.waitForTransactionReceipt({ hash });
  };
  await devnet.write(devnet.deployer, {
    address: market,
    abi: jobMarketAbi,
    functionName: "setPaymentToken",
    args: [token, true],
  });
  await devnet.write(holder, {
    address: devnet.contracts.StakingRegistry.address,
    abi: stakingRegistryAbi,
    functionName: "setOffer",
    args: [devnet.modelId!, token, 10n, 512, 16, zeroHash],
  });
  await tokenCall(devnet.deployer, "mint", [devnet.user.address, 10n ** 12n]);
  await tokenCall(devnet.user, "approve", [market, maxUint256]);
  const jobId = await job.create(token);
  await tokenCall(devnet.deployer, "setBlocked", [devnet.user.address, true]);
  await job.cancel(jobId);
  await tokenCall(devnet.deployer, "setBlocked", [devnet.user.address, false]);
  const credited = await devnet.publicClient.readContract({
    address: market,
    abi: jobMarketAbi,
    functionName: "balanceOf",
    args: [token, devnet.user.address],
  });
  await devnet.write(devnet.user, {
    address: market,
    abi: jobMarketAbi,
    functionName: "withdraw",
    args: [token, credited],
  });
  return { jobId, token };
}
