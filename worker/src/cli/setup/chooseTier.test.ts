import { expect } from "chai";
import { chooseTier, hardwareTier } from "./chooseTier.ts";

const minimums = [1_000n, 5_000n, 10_000n];
const h100 = { name: "NVIDIA H100", computeCapability: 9 };
const rtx4090 = { name: "NVIDIA GeForce RTX 4090", computeCapability: 8.9 };

describe("hardwareTier", () => {
  it("is Consumer without a GPU, Prosumer from Ampere, Enterprise from Hopper", () => {
    expect(hardwareTier([])).to.equal(0);
    expect(hardwareTier([{ name: "Tesla T4", computeCapability: 7.5 }])).to.equal(0);
    expect(hardwareTier([rtx4090])).to.equal(1);
    expect(hardwareTier([rtx4090, h100])).to.equal(2);
  });
});

describe("chooseTier", () => {
  it("takes the hardware's tier when the OCTO at hand covers its minimum", () => {
    expect(chooseTier({ gpus: [h100], available: 10_000n, minimums }).tier).to.equal(2);
  });

  it("caps the tier at what the OCTO at hand can stake, and says why", () => {
    const choice = chooseTier({ gpus: [h100], available: 6_000n, minimums });
    expect(choice).to.include({ tier: 1, hardwareTier: 2, affordableTier: 1 });
    expect(choice.why).to.include("stakes up to Prosumer");
  });

  it("takes a tier the provider asks for, whatever the hardware", () => {
    expect(chooseTier({ gpus: [], available: 0n, minimums, requested: 2 }).tier).to.equal(2);
  });

  it("falls back to Consumer when nothing is affordable (the plan then names the OCTO missing)", () => {
    expect(chooseTier({ gpus: [], available: 10n, minimums })).to.include({ tier: 0, affordableTier: -1 });
  });
});
