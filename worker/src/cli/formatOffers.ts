// `octo-worker offers` as a table: every standing offer for a model in one payment token, this provider's marked, in
// the units a person reads (whole tokens, tiers by name), with what users weigh offers by.
import { formatUnits, isAddressEqual, type Address } from "viem";
import type { Offer } from "@octo/sdk";
import { TIER_NAMES } from "./setup/chooseTier.ts";

export type FormatOffersParameters = {
  model: string;
  offers: readonly Offer[];
  me: Address;
  payment: { symbol: string; decimals: number };
  staking: { symbol: string; decimals: number };
};

export function formatOffers({ model, offers, me, payment, staking }: FormatOffersParameters): string {
  if (offers.length === 0) return `${model}: no offers in ${payment.symbol}`;
  const rows = offers.map((o) => [
    `${o.provider}${isAddressEqual(o.provider, me) ? " (you)" : ""}`,
    `${formatUnits(o.pricePerToken, payment.decimals)} ${payment.symbol}/token`,
    TIER_NAMES[o.tier] ?? String(o.tier),
    `${formatUnits(o.stake, staking.decimals)} ${staking.symbol} (free ${formatUnits(o.freeStake, staking.decimals)})`,
    o.accepting ? "accepting" : "paused",
    `${o.reputation.completed} done, ${o.reputation.timedOut} timed out, ${o.reputation.slashed} slashed`,
    o.tokensPerSecond === undefined ? "no results yet" : `${o.tokensPerSecond.toFixed(1)} tok/s`,
  ]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return [
    `${model}:`,
    ...rows.map(
      (r) =>
        "  " +
        r
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join("  ")
          .trimEnd(),
    ),
  ].join("\n");
}
