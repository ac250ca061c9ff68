"use client";
// Amounts as the explorer shows them: in the market's payment token (the indexer stores base units).
import { usePaymentToken } from "../hooks/useMarketData.ts";
import { formatAmount } from "../lib/format.ts";

export function useTokenFormat() {
  const token = usePaymentToken();
  const unit = token.data ?? { symbol: "", decimals: 0 };
  return {
    symbol: unit.symbol,
    unit,
    ready: !!token.data,
    amount: (value: bigint) => (token.data ? formatAmount(value, unit) : value.toString()),
    /** For charts: the amount as a float in whole tokens. */
    toNumber: (value: bigint) => Number(value) / 10 ** unit.decimals,
  };
}
