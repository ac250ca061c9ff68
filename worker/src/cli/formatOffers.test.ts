import { expect } from "chai";
import type { Offer } from "@octo/sdk";
import { formatOffers } from "./formatOffers.ts";

const me = "0x00000000000000000000000000000000000000aa" as const;
const other = "0x00000000000000000000000000000000000000bb" as const;
const offer = (provider: `0x${string}`, pricePerToken: bigint, tokensPerSecond?: number): Offer => ({
  provider,
  pricePerToken,
  maxContext: 512,
  tier: 1,
  stake: 5_000n * 10n ** 18n,
  freeStake: 4_500n * 10n ** 18n,
  accepting: true,
  encryptionKey: `0x${"00".repeat(32)}`,
  reputation: { completed: 7, timedOut: 1, disputed: 0, slashed: 0, released: 0 },
  tokensPerSecond,
});
const units = { payment: { symbol: "USDC", decimals: 6 }, staking: { symbol: "OCTO", decimals: 18 } };

describe("formatOffers", () => {
  it("shows each offer in whole tokens, tiers by name, and marks the provider's own", () => {
    const text = formatOffers({
      model: "octo-tiny",
      offers: [offer(me, 10n), offer(other, 25n, 12.345)],
      me,
      ...units,
    });
    const [title, mine, theirs] = text.split("\n");
    expect(title).to.equal("octo-tiny:");
    expect(mine)
      .to.include(`${me} (you)`)
      .and.include("0.00001 USDC/token")
      .and.include("Prosumer")
      .and.include("5000 OCTO (free 4500)")
      .and.include("no results yet");
    expect(theirs)
      .to.include("0.000025 USDC/token")
      .and.include("7 done, 1 timed out, 0 slashed")
      .and.include("12.3 tok/s");
  });

  it("says when a model has no offers", () => {
    expect(formatOffers({ model: "octo-tiny", offers: [], me, ...units })).to.equal("octo-tiny: no offers in USDC");
  });
});
