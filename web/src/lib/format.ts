// How amounts, addresses, times and tiers read on the page. Pure functions: the unit tests pin each form.
import { formatUnits, type Address } from "viem";

/** "1.25 USDC" from base units; trailing zeros dropped, at most `maxDecimals` shown (rounded down, never up). */
export function formatAmount(
  amount: bigint,
  { decimals, symbol, maxDecimals = 6 }: { decimals: number; symbol: string; maxDecimals?: number },
): string {
  const [whole, fraction = ""] = formatUnits(amount, decimals).split(".");
  const shown = fraction.slice(0, maxDecimals).replace(/0+$/, "");
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const tiny = amount > 0n && grouped === "0" && shown === "";
  return `${tiny ? "< " + `0.${"0".repeat(Math.max(0, maxDecimals - 1))}1` : shown ? `${grouped}.${shown}` : grouped} ${symbol}`;
}

/** A price per token in base units, as a person compares them: per 1,000 tokens. */
export function formatPricePer1k(pricePerToken: bigint, token: { decimals: number; symbol: string }): string {
  return `${formatAmount(pricePerToken * 1000n, token)} / 1k tokens`;
}

/** "0xf39F…2266". */
export function shortAddress(address: Address): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** A unix time (seconds) as a date a person reads, in UTC so that every device shows the same. */
export function formatDate(seconds: number | bigint): string {
  return new Date(Number(seconds) * 1000)
    .toISOString()
    .replace("T", " ")
    .replace(/:\d\d\.\d{3}Z$/, " UTC");
}

/** "2 d 3 h", "5 min", "40 s": the largest two units. */
export function formatDuration(seconds: number | bigint): string {
  let s = Math.max(0, Math.floor(Number(seconds)));
  const units: [string, number][] = [
    ["d", 86_400],
    ["h", 3_600],
    ["min", 60],
    ["s", 1],
  ];
  const parts: string[] = [];
  for (const [name, size] of units) {
    if (s >= size && parts.length < 2) {
      parts.push(`${Math.floor(s / size)} ${name}`);
      s %= size;
    } else if (parts.length > 0) break;
  }
  return parts.length > 0 ? parts.join(" ") : "0 s";
}

export const TIER_NAMES = ["Consumer", "Prosumer", "Enterprise"] as const;
export function tierName(tier: number): string {
  return TIER_NAMES[tier] ?? `Tier ${tier}`;
}
