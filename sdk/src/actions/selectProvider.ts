import { isAddressEqual, type Address } from "viem";
import { readContract } from "viem/actions";
import { stakingRegistryAbi } from "../generated/abis.ts";
import { NoProviderError } from "../errors/errors.ts";
import type { OctoClient } from "../internal/client.ts";
import { listOffers, type ListOffersParameters, type Offer } from "./listOffers.ts";

/** How to choose among the offers: the lowest price, the highest recent speed, the best record (completed jobs net
 *  of faults), or a named provider. */
export type SelectionPolicy = "cheapest" | "fastest" | "reputation" | { provider: Address };

export type SelectProviderParameters = ListOffersParameters & {
  policy: SelectionPolicy;
  /** Lowest hardware tier accepted (default 0). */
  minTier?: number;
  /** Highest price per token accepted. */
  maxPricePerToken?: bigint;
  /** Free stake a provider needs to take the job (its collateral); offers with less are skipped. Default 0. */
  minFreeStake?: bigint;
};
export type SelectProviderReturnType = Offer;
export type SelectProviderErrorType = NoProviderError;

const score = (o: Offer) =>
  o.reputation.completed - 2 * (o.reputation.timedOut + o.reputation.disputed) - 10 * o.reputation.slashed;

/** Picks one offer by `policy` among the providers the staking registry calls eligible for the model and tier, within
 *  the price and free-stake limits. */
export async function selectProvider(
  client: OctoClient,
  parameters: SelectProviderParameters,
): Promise<SelectProviderReturnType> {
  const { policy, minTier = 0, maxPricePerToken, minFreeStake = 0n } = parameters;
  const offers: Offer[] = [];
  for (const o of await listOffers(client, parameters)) {
    if (
      !o.accepting ||
      o.tier < minTier ||
      (maxPricePerToken !== undefined && o.pricePerToken > maxPricePerToken) ||
      o.freeStake < minFreeStake
    )
      continue;
    // The registry's own rule (registered, accepting, tier, stake above the tier's minimum, an offer, not unbonding).
    const eligible = await readContract(client, {
      address: parameters.deployments.contracts.StakingRegistry.address,
      abi: stakingRegistryAbi,
      functionName: "isEligible",
      args: [o.provider, parameters.modelId, minTier],
    });
    if (eligible) offers.push(o);
  }
  const pick = (() => {
    if (typeof policy === "object") return offers.find((o) => isAddressEqual(o.provider, policy.provider));
    const sorted = [...offers].sort((a, b) => {
      if (policy === "cheapest")
        return a.pricePerToken < b.pricePerToken ? -1 : a.pricePerToken > b.pricePerToken ? 1 : 0;
      if (policy === "fastest") return (b.tokensPerSecond ?? -1) - (a.tokensPerSecond ?? -1);
      return score(b) - score(a);
    });
    return sorted[0];
  })();
  if (!pick) {
    const named = typeof policy === "object" ? `provider ${policy.provider}` : `policy ${policy}`;
    throw new NoProviderError(
      `${named}: ${offers.length} eligible offers for model ${parameters.modelId} (min tier ${minTier}${maxPricePerToken === undefined ? "" : `, max price ${maxPricePerToken}`})`,
    );
  }
  return pick;
}
