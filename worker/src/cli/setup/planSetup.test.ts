import { expect } from "chai";
import { planSetup, type SetupState, type SetupWishes } from "./planSetup.ts";

const modelId = `0x${"11".repeat(32)}` as const;
const usdc = "0x00000000000000000000000000000000000000c0" as const;
const klass = `0x${"c1".repeat(32)}` as const;
const fresh: SetupState = {
  address: "0x00000000000000000000000000000000000000aa",
  gasBalance: 10n ** 19n,
  octo: { decimals: 0, balance: 10_000n, allowance: 0n },
  provider: { registered: false, accepting: false, tier: 0, stake: 0n, unbonding: 0n, unbondableAt: 0 },
  minimums: [1_000n, 5_000n, 10_000n],
  model: { modelId, registered: true, active: true, minTier: 0 },
  offer: { active: false, pricePerToken: 0n, maxContext: 0, capacity: 0, determinismClass: `0x${"00".repeat(32)}` },
};
const wishes: SetupWishes = {
  tier: 0,
  paymentToken: usdc,
  pricePerToken: 10n,
  maxContext: 512,
  capacity: 2,
  determinismClass: klass,
};
const done: SetupState = {
  ...fresh,
  octo: { ...fresh.octo, balance: 9_000n },
  provider: { ...fresh.provider, registered: true, accepting: true, stake: 1_000n },
  offer: { active: true, pricePerToken: 10n, maxContext: 512, capacity: 2, determinismClass: klass },
};

describe("planSetup", () => {
  it("takes a fresh key through register, approve, stake to the tier minimum, accept and offer, in that order", () => {
    const plan = planSetup(fresh, wishes);
    expect(plan.blockers).to.deep.equal([]);
    expect(plan.steps).to.deep.equal([
      { kind: "register", tier: 0 },
      { kind: "approve", amount: 1_000n },
      { kind: "stake", amount: 1_000n },
      { kind: "accept" },
      {
        kind: "offer",
        modelId,
        paymentToken: usdc,
        pricePerToken: 10n,
        maxContext: 512,
        capacity: 2,
        determinismClass: klass,
      },
    ]);
  });

  it("plans nothing for a provider already set up as asked, so a rerun changes nothing", () => {
    expect(planSetup(done, wishes)).to.deep.equal({ steps: [], blockers: [], targetStake: 1_000n });
    expect(planSetup(done, { ...wishes, pricePerToken: undefined }).steps).to.deep.equal([]);
  });

  it("plans only what differs: a new price re-posts the offer, a higher tier moves and tops up the stake", () => {
    expect(planSetup(done, { ...wishes, pricePerToken: 12n }).steps).to.deep.equal([
      {
        kind: "offer",
        modelId,
        paymentToken: usdc,
        pricePerToken: 12n,
        maxContext: 512,
        capacity: 2,
        determinismClass: klass,
      },
    ]);
    // A new engine build is a new determinism class: the offer is re-posted with it.
    const rebuilt = `0x${"c2".repeat(32)}` as const;
    expect(planSetup(done, { ...wishes, determinismClass: rebuilt }).steps).to.deep.equal([
      {
        kind: "offer",
        modelId,
        paymentToken: usdc,
        pricePerToken: 10n,
        maxContext: 512,
        capacity: 2,
        determinismClass: rebuilt,
      },
    ]);
    expect(planSetup(done, { ...wishes, tier: 1 }).steps.map((s) => s.kind)).to.deep.equal([
      "setTier",
      "approve",
      "stake",
    ]);
  });

  it("names the OCTO missing for the tier's minimum before anything is sent", () => {
    const plan = planSetup({ ...fresh, octo: { ...fresh.octo, balance: 400n } }, wishes);
    expect(plan.blockers).to.deep.equal([
      { reason: "octo", message: "staking 1000 OCTO more needs 600 OCTO more than the 400 OCTO the wallet holds" },
    ]);
  });

  it("refuses a model that is not registered, or not active, or above the chosen tier", () => {
    expect(planSetup({ ...fresh, model: { ...fresh.model, registered: false } }, wishes).blockers[0]!.reason).to.equal(
      "model",
    );
    expect(planSetup({ ...fresh, model: { ...fresh.model, active: false } }, wishes).blockers[0]!.reason).to.equal(
      "model",
    );
    expect(planSetup({ ...fresh, model: { ...fresh.model, minTier: 1 } }, wishes).blockers[0]!.reason).to.equal(
      "modelTier",
    );
  });

  it("needs a price for the first offer", () => {
    expect(planSetup(fresh, { ...wishes, pricePerToken: undefined }).blockers).to.deep.include({
      reason: "price",
      message: "the first offer needs a price: --price <payment-token units per output token>",
    });
  });

  it("names stake that is unbonding, with its date", () => {
    const plan = planSetup(
      { ...done, provider: { ...done.provider, unbonding: 500n, unbondableAt: 1_800_000_000 } },
      wishes,
    );
    expect(plan.blockers[0]!.message).to.include("until 2027-01-15T08:00:00.000Z");
  });
});
