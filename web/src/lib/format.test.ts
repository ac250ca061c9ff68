import { describe, expect, it } from "vitest";
import { formatAmount, formatDate, formatDuration, formatPricePer1k, shortAddress, tierName } from "./format.ts";

const USDC = { symbol: "USDC", decimals: 6 };

describe("formatAmount", () => {
  it("drops trailing zeros and groups thousands", () => {
    expect(formatAmount(1_250_000n, USDC)).toBe("1.25 USDC");
    expect(formatAmount(1_234_567_000_000n, USDC)).toBe("1,234,567 USDC");
    expect(formatAmount(0n, USDC)).toBe("0 USDC");
  });
  it("rounds down to maxDecimals, and says when an amount is below what it shows", () => {
    expect(formatAmount(1_999_999_999_999_999_999n, { symbol: "OCTO", decimals: 18, maxDecimals: 2 })).toBe(
      "1.99 OCTO",
    );
    expect(formatAmount(1n, { symbol: "OCTO", decimals: 18, maxDecimals: 4 })).toBe("< 0.0001 OCTO");
  });
  it("prices per 1,000 tokens", () => {
    expect(formatPricePer1k(10n, USDC)).toBe("0.01 USDC / 1k tokens");
  });
});

describe("dates and durations", () => {
  it("shows a unix time in UTC to the minute", () => {
    expect(formatDate(1_767_225_600)).toBe("2026-01-01 00:00 UTC");
  });
  it("shows the two largest units", () => {
    expect(formatDuration(7 * 86_400)).toBe("7 d");
    expect(formatDuration(90_061)).toBe("1 d 1 h");
    expect(formatDuration(125)).toBe("2 min 5 s");
    expect(formatDuration(0)).toBe("0 s");
  });
});

describe("names", () => {
  it("shortens addresses and names tiers", () => {
    expect(shortAddress("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")).toBe("0xf39F…2266");
    expect(tierName(0)).toBe("Consumer");
    expect(tierName(2)).toBe("Enterprise");
    expect(tierName(7)).toBe("Tier 7");
  });
});
