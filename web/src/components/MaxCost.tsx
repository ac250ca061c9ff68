// The most a job can cost, said before paying: the escrow at the dearest qualifying price for every output token
// allowed, the protocol's fee inside it, and what is refunded. The figures are the sdk's quoteJob; this words them.
import type { QuoteJobReturnType } from "@octo/sdk";
import { formatAmount, formatPricePer1k } from "../lib/format.ts";

export type MaxCostProps = {
  quote: QuoteJobReturnType | undefined;
  token: { symbol: string; decimals: number } | undefined;
  maxOutputTokens: number;
  /** The dearest qualifying offer's price per token; undefined when none qualifies (or offers are still loading). */
  priceCap: bigint | undefined;
  offersLoaded: boolean;
};

export function MaxCost({ quote, token, maxOutputTokens, priceCap, offersLoaded }: MaxCostProps) {
  return (
    <div className="cost" data-testid="max-cost">
      {priceCap === undefined && offersLoaded ? (
        "No provider qualifies under this routing."
      ) : quote && token && priceCap !== undefined ? (
        <>
          At most <strong>{formatAmount(quote.maxCost, token)}</strong> ({maxOutputTokens} tokens × up to{" "}
          {formatPricePer1k(priceCap, token)}; the protocol's {quote.feeBps / 100} % fee is inside it). What the
          provider does not generate is refunded.
        </>
      ) : (
        "Working out the most it can cost…"
      )}
    </div>
  );
}
