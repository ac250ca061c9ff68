import { isAddressEqual, type Address, type Hex } from "viem";
import { getBlock, getContractEvents, readContract } from "viem/actions";
import { jobMarketAbi, stakingRegistryAbi } from "../generated/abis.ts";
import type { OctoClient, WithDeployments } from "../internal/client.ts";

export type ListOffersParameters = WithDeployments & {
  modelId: Hex;
  paymentToken: Address;
  /** How many of each provider's latest results to time (default 10). */
  recentResults?: number;
};

/** One provider's standing offer for the model, with what a user weighs it by. */
export type Offer = {
  provider: Address;
  pricePerToken: bigint;
  maxContext: number;
  tier: number;
  stake: bigint;
  /** Stake not locked as collateral of a live job (what a new claim can lock). */
  freeStake: bigint;
  accepting: boolean;
  encryptionKey: Hex;
  /** Reputation counters kept by the staking registry. */
  reputation: { completed: number; timedOut: number; disputed: number; slashed: number; released: number };
  /** Output tokens per second over the provider's latest results (claim block to result block), from receipts;
   *  undefined when it has none yet. */
  tokensPerSecond: number | undefined;
};
export type ListOffersReturnType = Offer[];

/** Every provider offering `modelId` in `paymentToken`, with price, tier, stake, reputation and recent speed. */
export async function listOffers(
  client: OctoClient,
  { deployments, modelId, paymentToken, recentResults = 10 }: ListOffersParameters,
): Promise<ListOffersReturnType> {
  const staking = deployments.contracts.StakingRegistry.address;
  const providers = await readContract(client, {
    address: staking,
    abi: stakingRegistryAbi,
    functionName: "providersForModel",
    args: [modelId],
  });
  const offers: Offer[] = [];
  for (const provider of providers) {
    const offer = await readContract(client, {
      address: staking,
      abi: stakingRegistryAbi,
      functionName: "getOffer",
      args: [provider, modelId, paymentToken],
    });
    if (!offer.active) continue;
    const p = await readContract(client, {
      address: staking,
      abi: stakingRegistryAbi,
      functionName: "getProvider",
      args: [provider],
    });
    offers.push({
      provider,
      pricePerToken: offer.pricePerToken,
      maxContext: offer.maxContext,
      tier: p.tier,
      stake: p.stake,
      freeStake: p.stake - p.locked,
      accepting: p.accepting,
      encryptionKey: p.encryptionKey,
      reputation: {
        completed: p.completed,
        timedOut: p.timedOut,
        disputed: p.disputed,
        slashed: p.slashed,
        released: p.released,
      },
      tokensPerSecond: await recentSpeed(client, { deployments, provider, recentResults }),
    });
  }
  return offers;
}

/** Tokens per second over the provider's latest results: Σ tokens / Σ (result time − claim time). */
async function recentSpeed(
  client: OctoClient,
  { deployments, provider, recentResults }: WithDeployments & { provider: Address; recentResults: number },
) {
  const market = deployments.contracts.JobMarket;
  const range = {
    address: market.address,
    abi: jobMarketAbi,
    fromBlock: market.deployedOnBlock,
    strict: true,
  } as const;
  const results = (
    await getContractEvents(client, { ...range, eventName: "ResultSubmitted", args: { provider } })
  ).slice(-recentResults);
  if (results.length === 0) return undefined;
  const claims = await getContractEvents(client, { ...range, eventName: "JobClaimed", args: { provider } });
  const time = async (blockNumber: bigint) => (await getBlock(client, { blockNumber })).timestamp;
  let tokens = 0n;
  let seconds = 0n;
  for (const r of results) {
    const claim = claims.findLast((c) => c.args.jobId === r.args.jobId && isAddressEqual(c.args.provider, provider));
    if (!claim) continue;
    tokens += r.args.tokenCount;
    // A claim and its result in one second still took time: count at least one second.
    const elapsed = (await time(r.blockNumber)) - (await time(claim.blockNumber));
    seconds += elapsed > 0n ? elapsed : 1n;
  }
  return seconds === 0n ? undefined : Number(tokens) / Number(seconds);
}
