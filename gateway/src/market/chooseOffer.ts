// Which provider serves a request: the sdk's selectProvider under the request's policy, minimum tier and price bound,
// skipping providers that already failed this request. A request that finds none is told why: 402 when providers
// exist but all ask more than its bound, 503 when none serves the model at all.
import { NoProviderError, type Offer, type SelectionPolicy } from "@octo/sdk";
import type { Address, Hex } from "viem";
import { GatewayError } from "../errors/GatewayError.ts";
import type { Market } from "./connectMarket.ts";

export type ChooseOfferParameters = {
  modelId: Hex;
  policy: SelectionPolicy;
  minTier: number;
  maxPricePerToken: bigint | undefined;
  /** Providers that failed this request already. */
  exclude: ReadonlySet<string>;
};

export async function chooseOffer(
  market: Market,
  { modelId, policy, minTier, maxPricePerToken, exclude }: ChooseOfferParameters,
): Promise<Offer> {
  const base = {
    modelId,
    paymentToken: market.paymentToken,
    minTier,
    ...(maxPricePerToken === undefined ? {} : { maxPricePerToken }),
  };
  const excluded = (p: Address) => exclude.has(p.toLowerCase());
  try {
    const offer = await market.client.selectProvider({ ...base, policy });
    if (!excluded(offer.provider)) return offer;
    if (typeof policy === "object")
      throw new NoProviderError(`provider ${policy.provider} already failed this request`);
    // The policy's favourite failed: any other eligible offer, each checked by the registry's rule.
    for (const o of await market.client.listOffers({ modelId, paymentToken: market.paymentToken })) {
      if (excluded(o.provider)) continue;
      const other = await market.client
        .selectProvider({ ...base, policy: { provider: o.provider } })
        .catch(() => undefined);
      if (other) return other;
    }
    throw new NoProviderError(`every eligible provider for model ${modelId} failed this request`);
  } catch (error) {
    if (!(error instanceof NoProviderError) || maxPricePerToken === undefined) throw error;
    const unbounded = await market.client
      .selectProvider({ ...base, maxPricePerToken: undefined, policy })
      .catch(() => undefined);
    if (unbounded && !excluded(unbounded.provider))
      throw new GatewayError(
        `no provider serves this model at ${maxPricePerToken} or less per token (${typeof policy === "object" ? "the named provider" : `the ${policy} offer`} asks ${unbounded.pricePerToken})`,
        {
          status: 402,
          type: "insufficient_funds_error",
          code: "price_bound_exceeded",
          param: "octo.max_price_per_token",
        },
      );
    throw error;
  }
}
