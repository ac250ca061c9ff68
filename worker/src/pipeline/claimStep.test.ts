import { expect } from "chai";
import { JobStatus } from "@octo/sdk";
import { zeroAddress, type Address } from "viem";
import { claimOutcome } from "./claimStep.ts";

const ME: Address = "0x00000000000000000000000000000000000000aA";
const OTHER: Address = "0x00000000000000000000000000000000000000bb";

describe("pipeline/claimStep: claimOutcome", () => {
  it("goes on with a job the market holds as claimed by us (our claim was mined before)", () => {
    expect(claimOutcome({ status: JobStatus.Claimed, provider: ME }, ME)).to.equal("claimed");
  });

  it("reads the market's address and ours as one address, whatever their letter case", () => {
    expect(claimOutcome({ status: JobStatus.Claimed, provider: ME.toLowerCase() as Address }, ME)).to.equal("claimed");
  });

  it("skips a job another provider won", () => {
    expect(claimOutcome({ status: JobStatus.Claimed, provider: OTHER }, ME)).to.equal("skipped");
  });

  it("skips a job still open (the claim did not land) or ended (cancelled)", () => {
    expect(claimOutcome({ status: JobStatus.Open, provider: zeroAddress }, ME)).to.equal("skipped");
    expect(claimOutcome({ status: JobStatus.Cancelled, provider: zeroAddress }, ME)).to.equal("skipped");
  });
});
