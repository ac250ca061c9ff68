import { describe, expect, it } from "vitest";
import type { Offer } from "@octo/sdk";
import { disqualification, selectionPolicy } from "./routing.ts";

const offer = (o: Partial<Offer>): Offer => ({
  provider: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  pricePerToken: 10n,
  maxContext: 64,
  tier: 1,
  stake: 2_000n * 10n ** 18n,
  freeStake: 2_000n * 10n ** 18n,
  accepting: true,
  encryptionKey: "0x00",
  reputation: { completed: 0, timedOut: 0, disputed: 0, slashed: 0, released: 0 },
  tokensPerSecond: undefined,
  ...o,
});
const COLLATERAL = 100n * 10n ** 18n;

describe("routing", () => {
  it("maps each choice to the sdk's selection policy", () => {
    expect(selectionPolicy({ kind: "cheapest", minTier: 0 })).toBe("cheapest");
    expect(selectionPolicy({ kind: "reputation", minTier: 2 })).toBe("reputation");
    expect(
      selectionPolicy({ kind: "provider", provider: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", minTier: 0 }),
    ).toEqual({ provider: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" });
  });

  it("says why an offer does not qualify", () => {
    const routing = { kind: "cheapest", minTier: 1 } as const;
    expect(disqualification(offer({}), routing, COLLATERAL)).toBeUndefined();
    expect(disqualification(offer({ accepting: false }), routing, COLLATERAL)).toBe("paused");
    expect(disqualification(offer({ tier: 0 }), routing, COLLATERAL)).toBe("tier too low");
    expect(disqualification(offer({ freeStake: COLLATERAL - 1n }), routing, COLLATERAL)).toBe("not enough free stake");
  });

  it("qualifies only the named provider when the person names one, whatever the case of its address", () => {
    const routing = { kind: "provider", provider: "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc", minTier: 0 } as const;
    expect(disqualification(offer({}), routing, 0n)).toBeUndefined();
    expect(disqualification(offer({ provider: "0x90F79bf6EB2c4f870365E785982E1f101E93b906" }), routing, 0n)).toBe(
      "not the chosen provider",
    );
  });
});
